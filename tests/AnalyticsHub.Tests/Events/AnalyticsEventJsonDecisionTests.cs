using System.Text.Json;
using AnalyticsHub.Events;
using static AnalyticsHub.Tests.Events.EventJsonAssert;

namespace AnalyticsHub.Tests.Events;

/// <summary>The reading and writing rules of spec section 1.1 as settled by Decisions 1–6 and 9.</summary>
public sealed class AnalyticsEventJsonDecisionTests
{
    /// <summary>A small valid event on one line, so that byte offsets are easy to work out.</summary>
    private const string Base =
        """{"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-observatory","event_type":"telemetry","severity":"info","environment":"production","payload":{"payload_type":"telemetry","data":{"telemetry_type":"token_usage","model_id":"gpt-4","request_id":"r1","prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}}""";

    private const string Flattened =
        """{"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-observatory","event_type":"telemetry","severity":"info","environment":"production","payload_type":"telemetry","data":{"telemetry_type":"token_usage","model_id":"gpt-4","request_id":"r1","prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""";

    private const string CustomBase =
        """{"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-analytics-hub","event_type":"alert","severity":"info","environment":"production","payload":{"payload_type":"custom","data":{"custom_type":"anomaly","data":{"a":{"b":1}}}}}""";

    private static string With(string json, string from, string to)
    {
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    private static string Base2(string from, string to) => With(Base, from, to);

    // Decision 1: envelope

    [Fact]
    public void Read_FlattenedPayload_ReadsTheSameAsNested()
    {
        var nested = ReadClean(Base);
        var flattened = ReadClean(Flattened);

        Assert.Equal(AnalyticsEventJson.Serialize(nested), AnalyticsEventJson.Serialize(flattened));
        Assert.Contains("\"payload\":{\"payload_type\":\"telemetry\",\"data\":{", AnalyticsEventJson.Serialize(flattened), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FlattenedCustomPayload_ReadsTheSameAsNested()
    {
        var flattened = With(CustomBase, "\"payload\":{\"payload_type\":\"custom\",\"data\":{\"custom_type\":\"anomaly\",\"data\":{\"a\":{\"b\":1}}}}}", "\"payload_type\":\"custom\",\"data\":{\"custom_type\":\"anomaly\",\"data\":{\"a\":{\"b\":1}}}}");

        Assert.Equal(AnalyticsEventJson.Serialize(ReadClean(CustomBase)), AnalyticsEventJson.Serialize(ReadClean(flattened)));
    }

    [Fact]
    public void Read_PayloadKeysInAnyOrder_ReadsTheSame()
    {
        var reordered = Base2(
            "{\"payload_type\":\"telemetry\",\"data\":{\"telemetry_type\":\"token_usage\",\"model_id\":\"gpt-4\"",
            "{\"data\":{\"model_id\":\"gpt-4\",\"telemetry_type\":\"token_usage\"");
        reordered = reordered.Replace("\"total_tokens\":3}}}", "\"total_tokens\":3},\"payload_type\":\"telemetry\"}}", StringComparison.Ordinal);

        Assert.Equal(AnalyticsEventJson.Serialize(ReadClean(Base)), AnalyticsEventJson.Serialize(ReadClean(reordered)));
    }

    [Fact]
    public void Read_FlattenedWithoutData_ReportsMissingDataAtTheEventObject()
    {
        var json = With(Flattened, ",\"data\":{\"telemetry_type\":\"token_usage\",\"model_id\":\"gpt-4\",\"request_id\":\"r1\",\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}", string.Empty);

        var problem = AssertSingleError(json, ProblemCodes.MissingField, "data");

        Assert.Equal(0, problem.ByteOffset);
    }

    [Fact]
    public void Read_NoPayloadAtAll_ReportsMissingPayload()
    {
        var json = Base2(",\"payload\":{\"payload_type\":\"telemetry\",\"data\":{\"telemetry_type\":\"token_usage\",\"model_id\":\"gpt-4\",\"request_id\":\"r1\",\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}", string.Empty);

        var problem = AssertSingleError(json, ProblemCodes.MissingField, "payload");

        Assert.Equal(0, problem.ByteOffset);
    }

    [Fact]
    public void Read_PayloadWithoutPayloadType_ReportsMissingPayloadType()
    {
        var json = Base2("\"payload_type\":\"telemetry\",", string.Empty);

        var problem = AssertSingleError(json, ProblemCodes.MissingField, "payload.payload_type");

        Assert.Equal(OffsetOf(json, "{\"data\""), problem.ByteOffset);
    }

    [Fact]
    public void Read_DataWithoutVariantTag_ReportsMissingTagWithTheVariants()
    {
        var json = Base2("\"telemetry_type\":\"token_usage\",", string.Empty);

        var problem = AssertSingleError(json, ProblemCodes.MissingField, "payload.data.telemetry_type");

        Assert.Contains("latency, throughput, error_rate, token_usage, model_performance", problem.Message, StringComparison.Ordinal);
        Assert.Equal(OffsetOf(json, "{\"model_id\""), problem.ByteOffset);
    }

    // Decision 2: enums

    [Fact]
    public void Read_EnumNamesInAnyCase_ReadAndWriteCanonically()
    {
        var json = Base2("\"llm-observatory\"", "\"Llm-Observatory\"")
            .Replace("\"event_type\":\"telemetry\"", "\"event_type\":\"TELEMETRY\"", StringComparison.Ordinal)
            .Replace("\"info\"", "\"INFO\"", StringComparison.Ordinal)
            .Replace("\"payload_type\":\"telemetry\"", "\"payload_type\":\"Telemetry\"", StringComparison.Ordinal)
            .Replace("\"token_usage\"", "\"TOKEN_USAGE\"", StringComparison.Ordinal);

        var evt = ReadClean(json);

        Assert.Equal(SourceModule.LlmObservatory, evt.SourceModule);
        Assert.Equal(EventType.Telemetry, evt.EventType);
        Assert.Equal(Severity.Info, evt.Severity);
        Assert.IsType<TokenUsageMetrics>(evt.Payload);
        Assert.Equal(AnalyticsEventJson.Serialize(ReadClean(Base)), AnalyticsEventJson.Serialize(evt));
    }

    [Theory]
    [InlineData("\"PROMPT_INJECTION\"", "\"prompt_injection\"")]
    [InlineData("\"Denial_Of_Service\"", "\"denial_of_service\"")]
    [InlineData("\"jailbreak\"", "{\"other\":\"jailbreak\"}")]
    [InlineData("\"Jailbreak\"", "{\"other\":\"Jailbreak\"}")]
    [InlineData("{\"other\":\"prompt_injection\"}", "{\"other\":\"prompt_injection\"}")]
    public void Read_ThreatTypeSpellings_WriteCanonically(string input, string expected)
    {
        var json = ThreatJson(input);

        var written = AnalyticsEventJson.Serialize(ReadClean(json));

        Assert.Contains($"\"threat_type\":{expected}", written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"other\":1}")]
    [InlineData("{\"other\":\"a\",\"x\":\"b\"}")]
    [InlineData("{\"Other\":\"a\"}")]
    [InlineData("{\"custom\":\"a\"}")]
    public void Read_MalformedOtherObject_ReportsInvalidEnumValue(string threatType)
    {
        var json = ThreatJson(threatType);

        var problem = AssertSingleError(json, ProblemCodes.InvalidEnumValue, "payload.data.threat_type");

        Assert.Equal(OffsetOf(json, threatType), problem.ByteOffset);
    }

    [Fact]
    public void Read_ThreatTypeAsNumber_ReportsInvalidType() =>
        AssertSingleError(ThreatJson("3"), ProblemCodes.InvalidType, "payload.data.threat_type");

    [Theory]
    [InlineData("llm-costops")]
    [InlineData("LLM-COSTOPS")]
    [InlineData("llm-cost-ops")]
    public void Read_CostOpsSpellings_ReadAsCostOpsAndWriteCanonically(string module)
    {
        var evt = ReadClean(Base2("\"llm-observatory\"", $"\"{module}\""));

        Assert.Equal(SourceModule.LlmCostOps, evt.SourceModule);
        Assert.Contains("\"source_module\":\"llm-cost-ops\"", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownSeverity_ReportsInvalidEnumValueWithTheAllowedValues()
    {
        var json = Base2("\"info\"", "\"urgent\"");

        var problem = AssertSingleError(json, ProblemCodes.InvalidEnumValue, "severity");

        Assert.Contains("urgent", problem.Message, StringComparison.Ordinal);
        Assert.Contains("debug, info, warning, error, critical", problem.Message, StringComparison.Ordinal);
        Assert.Equal(OffsetOf(json, "\"urgent\""), problem.ByteOffset);
    }

    [Fact]
    public void Read_UnknownSourceModule_ListsEveryModule()
    {
        var problem = AssertSingleError(Base2("\"llm-observatory\"", "\"llm-foo\""), ProblemCodes.InvalidEnumValue, "source_module");

        Assert.Contains(
            "llm-observatory, llm-sentinel, llm-cost-ops, llm-governance-dashboard, llm-registry, llm-policy-engine, llm-analytics-hub",
            problem.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownEnumInsideAnArrayItem_ReportsTheIndexedPath()
    {
        const string json = """
            {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-governance-dashboard","event_type":"governance","severity":"info","environment":"production","payload":{"payload_type":"governance","data":{"governance_type":"compliance_check","check_id":"c","framework":"f","controls_checked":[],"passed":true,"findings":[{"control_id":"a","status":"pass","description":"d","evidence":null},{"control_id":"b","status":"maybe","description":"d","evidence":null}],"score":1}}}
            """;

        var problem = AssertSingleError(json, ProblemCodes.InvalidEnumValue, "payload.data.findings[1].status");

        Assert.Contains("pass, fail, not_applicable, manual", problem.Message, StringComparison.Ordinal);
        Assert.Equal(OffsetOf(json, "\"maybe\""), problem.ByteOffset);
    }

    [Fact]
    public void Read_UnknownVariantTag_ReportsInvalidEnumValueAtTheTag()
    {
        var json = Base2("\"token_usage\"", "\"tokens\"");

        var problem = AssertSingleError(json, ProblemCodes.InvalidEnumValue, "payload.data.telemetry_type");

        Assert.Equal(OffsetOf(json, "\"tokens\""), problem.ByteOffset);
    }

    [Fact]
    public void Read_PayloadTypeLifecycle_ReportsInvalidEnumValue()
    {
        var json = Base2("\"payload_type\":\"telemetry\"", "\"payload_type\":\"lifecycle\"");

        var problem = AssertSingleError(json, ProblemCodes.InvalidEnumValue, "payload.payload_type");

        Assert.Contains("telemetry, security, cost, governance, custom", problem.Message, StringComparison.Ordinal);
        Assert.Equal(OffsetOf(json, "\"lifecycle\""), problem.ByteOffset);
    }

    [Fact]
    public void Read_SeverityAsNumber_ReportsInvalidType()
    {
        var json = Base2("\"severity\":\"info\"", "\"severity\":1");

        var problem = AssertSingleError(json, ProblemCodes.InvalidType, "severity");

        Assert.Equal(OffsetOf(json, "1,\"environment\""), problem.ByteOffset);
    }

    // Decision 3 (validation, not reading): event_type is not checked at read time

    [Fact]
    public void Read_EventTypeDisagreeingWithPayload_IsAcceptedByTheReader()
    {
        var evt = ReadClean(Base2("\"event_type\":\"telemetry\"", "\"event_type\":\"cost\""));

        Assert.Equal(EventType.Cost, evt.EventType);
        Assert.IsType<TokenUsageMetrics>(evt.Payload);
    }

    // Decision 4: schema_version and event_id

    [Fact]
    public void Read_SchemaVersionAbsent_Defaults()
    {
        var evt = ReadClean(Base);

        Assert.Equal("1.0.0", evt.Common.SchemaVersion);
        Assert.Contains("\"schema_version\":\"1.0.0\"", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.7.3")]
    [InlineData("1.12.40")]
    public void Read_SchemaVersion1xy_IsAcceptedAndKept(string version)
    {
        var evt = ReadClean(Base2("\"severity\"", $"\"schema_version\":\"{version}\",\"severity\""));

        Assert.Equal(version, evt.Common.SchemaVersion);
        Assert.Contains($"\"schema_version\":\"{version}\"", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("")]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0-beta")]
    [InlineData("0.9.0")]
    public void Read_UnsupportedSchemaVersion_ReportsTheSupportedVersions(string version)
    {
        var json = Base2("\"severity\"", $"\"schema_version\":\"{version}\",\"severity\"");

        var problem = AssertSingleError(json, ProblemCodes.UnsupportedSchemaVersion, "schema_version");

        Assert.Contains("1.x.y", problem.Message, StringComparison.Ordinal);
        Assert.Equal(OffsetOf(json, $"\"{version}\""), problem.ByteOffset);
    }

    [Fact]
    public void Read_UnsupportedSchemaVersionInFlattenedForm_PointsAtTheVersion()
    {
        var json = With(Flattened, "\"severity\"", "\"schema_version\":\"2.0.0\",\"severity\"");

        var problem = AssertSingleError(json, ProblemCodes.UnsupportedSchemaVersion, "schema_version");

        Assert.Equal(OffsetOf(json, "\"2.0.0\""), problem.ByteOffset);
    }

    [Fact]
    public void Read_SchemaVersionNull_ReportsNullNotAllowed() =>
        AssertSingleError(Base2("\"severity\"", "\"schema_version\":null,\"severity\""), ProblemCodes.NullNotAllowed, "schema_version");

    [Fact]
    public void Read_EventIdAbsent_GeneratesAFreshVersion4Uuid()
    {
        var json = Base2("\"event_id\":\"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\",", string.Empty);

        var first = ReadClean(json).EventId;
        var second = ReadClean(json).EventId;

        Assert.NotEqual(Guid.Empty, first);
        Assert.NotEqual(first, second);
        Assert.Equal(4, first.Version);
        Assert.Equal('4', first.ToString()[14]);
    }

    [Fact]
    public void Read_EventIdNull_ReportsNullNotAllowed()
    {
        var json = Base2("\"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\"", "null");

        var problem = AssertSingleError(json, ProblemCodes.NullNotAllowed, "event_id");

        Assert.Equal(12, problem.ByteOffset);
    }

    [Theory]
    [InlineData("\"not-a-uuid\"")]
    [InlineData("\"6f1c2a8e3b4d4e5f8a9b0c1d2e3f4a5b\"")]
    [InlineData("\"{6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b}\"")]
    [InlineData("\"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5\"")]
    public void Read_MalformedEventId_ReportsInvalidUuid(string id)
    {
        var json = Base2("\"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\"", id);

        var problem = AssertSingleError(json, ProblemCodes.InvalidUuid, "event_id");

        Assert.Equal(12, problem.ByteOffset);
    }

    [Fact]
    public void Read_UppercaseUuid_WritesLowercase()
    {
        var evt = ReadClean(Base2("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "6F1C2A8E-3B4D-4E5F-8A9B-0C1D2E3F4A5B"));

        Assert.Contains("\"event_id\":\"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\"", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CorrelationIdNull_ReadsAsAbsentAndIsNotWritten()
    {
        var evt = ReadClean(Base2("\"severity\"", "\"correlation_id\":null,\"parent_event_id\":null,\"severity\""));

        Assert.Null(evt.Common.CorrelationId);
        Assert.Null(evt.Common.ParentEventId);
        Assert.DoesNotContain("correlation_id", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    // Tags

    [Fact]
    public void Read_TagsAbsent_ReadsEmptyAndWritesEmptyObject()
    {
        var evt = ReadClean(Base);

        Assert.Empty(evt.Common.Tags);
        Assert.Contains("\"tags\":{}", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TagsNull_ReportsNullNotAllowed()
    {
        var json = Base2("\"payload\"", "\"tags\":null,\"payload\"");

        var problem = AssertSingleError(json, ProblemCodes.NullNotAllowed, "tags");

        Assert.Equal(OffsetOf(json, "null"), problem.ByteOffset);
    }

    [Theory]
    [InlineData("{\"k\":1}", ProblemCodes.InvalidType, "tags.k")]
    [InlineData("{\"k\":null}", ProblemCodes.NullNotAllowed, "tags.k")]
    [InlineData("{\"k\":[\"v\"]}", ProblemCodes.InvalidType, "tags.k")]
    [InlineData("[]", ProblemCodes.InvalidType, "tags")]
    [InlineData("\"k=v\"", ProblemCodes.InvalidType, "tags")]
    public void Read_MistypedTags_ReportsThePath(string tags, string code, string path) =>
        AssertSingleError(Base2("\"payload\"", $"\"tags\":{tags},\"payload\""), code, path);

    // Decision 5: timestamps

    [Theory]
    [InlineData("2024-01-15T12:30:00+02:00", "2024-01-15T10:30:00Z")]
    [InlineData("2024-01-15T05:00:00-05:30", "2024-01-15T10:30:00Z")]
    [InlineData("2024-01-15T10:30:00z", "2024-01-15T10:30:00Z")]
    [InlineData("2024-01-15t10:30:00Z", "2024-01-15T10:30:00Z")]
    [InlineData("2024-01-15T10:30:00+00:00", "2024-01-15T10:30:00Z")]
    [InlineData("2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00Z")]
    [InlineData("2024-01-15T10:30:00.5Z", "2024-01-15T10:30:00.500Z")]
    [InlineData("2024-01-15T10:30:00.123456789Z", "2024-01-15T10:30:00.123456700Z")]
    [InlineData("2024-01-15T10:30:00.000000001Z", "2024-01-15T10:30:00Z")]
    [InlineData("2024-01-15T10:30:00.1200Z", "2024-01-15T10:30:00.120Z")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.999999900Z")]
    [InlineData("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z")]
    public void Read_Timestamp_NormalisesToUtcAndWritesCanonically(string input, string written)
    {
        var evt = ReadClean(Base2("2024-01-15T10:30:00Z", input));

        Assert.Equal(TimeSpan.Zero, evt.Timestamp.Offset);
        Assert.Contains($"\"timestamp\":\"{written}\"", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-01-15T10:30:00")]
    [InlineData("2024-01-15T10:30:00.123")]
    [InlineData("2024-01-15")]
    [InlineData("2024-01-15T10:30Z")]
    [InlineData("2024-01-15T10:30:00+0200")]
    [InlineData("2024-01-15T10:30:00+24:00")]
    [InlineData("2024-01-15T10:30:00.Z")]
    [InlineData("2024-02-30T10:30:00Z")]
    [InlineData("2023-02-29T10:30:00Z")]
    [InlineData("2024-13-01T10:30:00Z")]
    [InlineData("2024-01-15T24:00:00Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:30:00+01:00")]
    [InlineData("9999-12-31T23:30:00-01:00")]
    [InlineData("Mon, 15 Jan 2024 10:30:00 GMT")]
    [InlineData("")]
    [InlineData("2024-01-15T10:30:00Z ")]
    public void Read_TimestampWithoutZoneOrMalformed_ReportsInvalidTimestamp(string input)
    {
        var json = Base2("\"2024-01-15T10:30:00Z\"", $"\"{input}\"");

        var problem = AssertSingleError(json, ProblemCodes.InvalidTimestamp, "timestamp");

        Assert.Equal(OffsetOf(json, $"\"{input}\""), problem.ByteOffset);
    }

    [Theory]
    [InlineData("1705314600")]
    [InlineData("1705314600000")]
    [InlineData("true")]
    [InlineData("{}")]
    public void Read_TimestampNotAString_ReportsInvalidType(string input) =>
        AssertSingleError(Base2("\"2024-01-15T10:30:00Z\"", input), ProblemCodes.InvalidType, "timestamp");

    [Theory]
    [InlineData(0L, "2024-01-15T10:30:00Z")]
    [InlineData(5_000_000L, "2024-01-15T10:30:00.500Z")]
    [InlineData(10_000L, "2024-01-15T10:30:00.001Z")]
    [InlineData(10L, "2024-01-15T10:30:00.000001Z")]
    [InlineData(1L, "2024-01-15T10:30:00.000000100Z")]
    [InlineData(1_234_560L, "2024-01-15T10:30:00.123456Z")]
    [InlineData(1_234_567L, "2024-01-15T10:30:00.123456700Z")]
    [InlineData(9_999_999L, "2024-01-15T10:30:00.999999900Z")]
    [InlineData(1_200_000L, "2024-01-15T10:30:00.120Z")]
    public void Serialize_Timestamp_WritesTheShortestExactOf0369Digits(long extraTicks, string expected)
    {
        var evt = ReadClean(Base);
        evt = evt with { Common = evt.Common with { Timestamp = evt.Timestamp.AddTicks(extraTicks) } };

        var written = AnalyticsEventJson.Serialize(evt);

        Assert.Contains($"\"timestamp\":\"{expected}\"", written, StringComparison.Ordinal);
        Assert.Equal(evt.Timestamp, ReadClean(written).Timestamp);
    }

    [Fact]
    public void Serialize_TimestampWithOffset_WritesUtc()
    {
        var evt = ReadClean(Base);
        evt = evt with { Common = evt.Common with { Timestamp = new DateTimeOffset(2024, 1, 15, 12, 30, 0, TimeSpan.FromHours(2)) } };

        Assert.Equal(TimeSpan.Zero, evt.Timestamp.Offset);
        Assert.Contains("\"timestamp\":\"2024-01-15T10:30:00Z\"", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    // Decision 5: numbers

    [Theory]
    [InlineData("\"prompt_tokens\":1", "\"prompt_tokens\":-1", ProblemCodes.NumberOutOfRange, "payload.data.prompt_tokens")]
    [InlineData("\"prompt_tokens\":1", "\"prompt_tokens\":1.0", ProblemCodes.NotAnInteger, "payload.data.prompt_tokens")]
    [InlineData("\"prompt_tokens\":1", "\"prompt_tokens\":1.5", ProblemCodes.NotAnInteger, "payload.data.prompt_tokens")]
    [InlineData("\"prompt_tokens\":1", "\"prompt_tokens\":1e3", ProblemCodes.NotAnInteger, "payload.data.prompt_tokens")]
    [InlineData("\"prompt_tokens\":1", "\"prompt_tokens\":4294967296", ProblemCodes.NumberOutOfRange, "payload.data.prompt_tokens")]
    [InlineData("\"prompt_tokens\":1", "\"prompt_tokens\":-0.5", ProblemCodes.NotAnInteger, "payload.data.prompt_tokens")]
    [InlineData("\"prompt_tokens\":1", "\"prompt_tokens\":\"1\"", ProblemCodes.InvalidType, "payload.data.prompt_tokens")]
    [InlineData("\"prompt_tokens\":1", "\"prompt_tokens\":null", ProblemCodes.NullNotAllowed, "payload.data.prompt_tokens")]
    [InlineData("\"total_tokens\":3", "\"total_tokens\":3,\"reasoning_tokens\":-3", ProblemCodes.NumberOutOfRange, "payload.data.reasoning_tokens")]
    [InlineData("\"total_tokens\":3", "\"total_tokens\":3,\"cached_input_tokens\":2.5", ProblemCodes.NotAnInteger, "payload.data.cached_input_tokens")]
    public void Read_BadUnsignedValue_ReportsCodeAndPath(string from, string to, string code, string path)
    {
        var json = Base2(from, to);
        var value = to[(to.LastIndexOf(':') + 1)..];

        var problem = AssertSingleError(json, code, path);

        Assert.Equal(OffsetOf(json, to) + to.Length - value.Length, problem.ByteOffset);
    }

    [Theory]
    [InlineData("\"total_requests\":1", "\"total_requests\":18446744073709551616", ProblemCodes.NumberOutOfRange, "payload.data.total_requests")]
    [InlineData("\"total_requests\":1", "\"total_requests\":-1", ProblemCodes.NumberOutOfRange, "payload.data.total_requests")]
    [InlineData("\"total_requests\":1", "\"total_requests\":9007199254740993.0", ProblemCodes.NotAnInteger, "payload.data.total_requests")]
    [InlineData("\"error_breakdown\":{}", "\"error_breakdown\":{\"x\":-1}", ProblemCodes.NumberOutOfRange, "payload.data.error_breakdown.x")]
    [InlineData("\"error_breakdown\":{}", "\"error_breakdown\":{\"x\":0.5}", ProblemCodes.NotAnInteger, "payload.data.error_breakdown.x")]
    [InlineData("\"error_breakdown\":{}", "\"error_breakdown\":{\"x\":18446744073709551616}", ProblemCodes.NumberOutOfRange, "payload.data.error_breakdown.x")]
    [InlineData("\"error_breakdown\":{}", "\"error_breakdown\":[]", ProblemCodes.InvalidType, "payload.data.error_breakdown")]
    [InlineData("\"error_breakdown\":{},", "", ProblemCodes.MissingField, "payload.data.error_breakdown")]
    [InlineData("\"error_rate_percent\":1", "\"error_rate_percent\":1e400", ProblemCodes.NumberOutOfRange, "payload.data.error_rate_percent")]
    [InlineData("\"error_rate_percent\":1", "\"error_rate_percent\":-1e400", ProblemCodes.NumberOutOfRange, "payload.data.error_rate_percent")]
    [InlineData("\"error_rate_percent\":1", "\"error_rate_percent\":\"NaN\"", ProblemCodes.InvalidType, "payload.data.error_rate_percent")]
    public void Read_BadErrorRateValue_ReportsCodeAndPath(string from, string to, string code, string path) =>
        AssertSingleError(With(ErrorRateJson, from, to), code, path);

    [Fact]
    public void Read_U64AboveDoublePrecision_SurvivesExactly()
    {
        var json = With(ErrorRateJson, "\"total_requests\":1", "\"total_requests\":9007199254740993")
            .Replace("\"error_breakdown\":{}", "\"error_breakdown\":{\"a\":9007199254740993,\"b\":18446744073709551615}", StringComparison.Ordinal);

        var evt = ReadClean(json);

        var p = Assert.IsType<ErrorRateMetrics>(evt.Payload);
        Assert.Equal(9_007_199_254_740_993UL, p.TotalRequests);
        Assert.Equal(9_007_199_254_740_993UL, p.ErrorBreakdown["a"]);
        Assert.Equal(ulong.MaxValue, p.ErrorBreakdown["b"]);
        var written = AnalyticsEventJson.Serialize(evt);
        Assert.Contains("\"total_requests\":9007199254740993", written, StringComparison.Ordinal);
        Assert.Contains("\"error_breakdown\":{\"a\":9007199254740993,\"b\":18446744073709551615}", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DoubleFieldWithInteger_IsAccepted()
    {
        var evt = ReadClean(With(ErrorRateJson, "\"error_rate_percent\":1", "\"error_rate_percent\":100"));

        Assert.Equal(100.0, Assert.IsType<ErrorRateMetrics>(evt.Payload).ErrorRatePercent);
    }

    [Fact]
    public void Read_DoubleExtremes_RoundTripExactly()
    {
        var json = With(ErrorRateJson, "\"error_rate_percent\":1", "\"error_rate_percent\":4.9e-324");

        var evt = ReadClean(json);

        Assert.Equal(double.Epsilon, Assert.IsType<ErrorRateMetrics>(evt.Payload).ErrorRatePercent);
        Assert.Equal(double.Epsilon, Assert.IsType<ErrorRateMetrics>(ReadClean(AnalyticsEventJson.Serialize(evt)).Payload).ErrorRatePercent);
    }

    [Fact]
    public void Serialize_NonFiniteNumber_ThrowsArgumentException()
    {
        var evt = ReadClean(ErrorRateJson);
        evt = evt with { Payload = (ErrorRateMetrics)evt.Payload with { ErrorRatePercent = double.NaN } };

        Assert.ThrowsAny<ArgumentException>(() => AnalyticsEventJson.Serialize(evt));
    }

    // Decision 6: duplicate and unknown keys, escaping

    [Fact]
    public void Read_DuplicateTopLevelKey_ReportsDuplicateKeyAtTheSecondKey()
    {
        var json = Base2("\"severity\":\"info\"", "\"severity\":\"info\",\"severity\":\"debug\"");

        var problem = AssertSingleError(json, ProblemCodes.DuplicateKey, "severity");

        Assert.Equal(OffsetOf(json, "\"severity\":\"debug\""), problem.ByteOffset);
    }

    [Theory]
    [InlineData("\"model_id\":\"gpt-4\"", "\"model_id\":\"gpt-4\",\"model_id\":\"x\"", "payload.data.model_id")]
    [InlineData("\"telemetry_type\":\"token_usage\"", "\"telemetry_type\":\"token_usage\",\"telemetry_type\":\"token_usage\"", "payload.data.telemetry_type")]
    [InlineData("\"payload_type\":\"telemetry\"", "\"payload_type\":\"telemetry\",\"payload_type\":\"telemetry\"", "payload.payload_type")]
    [InlineData("\"severity\":\"info\"", "\"severity\":\"info\",\"tags\":{\"team\":\"a\",\"team\":\"b\"}", "tags.team")]
    [InlineData("\"severity\":\"info\"", "\"severity\":\"info\",\"x\":1,\"x\":2", "x")]
    [InlineData("\"model_id\":\"gpt-4\"", "\"model_id\":\"gpt-4\",\"extra\":1,\"extra\":[]", "payload.data.extra")]
    [InlineData("\"payload_type\":\"telemetry\"", "\"payload_type\":\"telemetry\",\"note\":{},\"note\":{}", "payload.note")]
    [InlineData("\"severity\":\"info\"", "\"severity\":\"info\",\"seve\\u0072ity\":\"info\"", "severity")]
    public void Read_DuplicateKey_ReportsDuplicateKeyWithThePath(string from, string to, string path) =>
        AssertSingleError(Base2(from, to), ProblemCodes.DuplicateKey, path);

    [Fact]
    public void Read_DuplicateKeyDeepInCustomData_ReportsThePath()
    {
        var json = With(CustomBase, "{\"a\":{\"b\":1}}", "{\"a\":{\"b\":1,\"list\":[{\"c\":1},{\"c\":1,\"c\":2}],\"b\":2}}");

        var problem = AssertSingleError(json, ProblemCodes.DuplicateKey, "payload.data.data.a.list[1].c");

        Assert.Equal(OffsetOf(json, "\"c\":2"), problem.ByteOffset);
    }

    [Fact]
    public void Read_DuplicateKeyInAuditChanges_ReportsThePath()
    {
        const string json = """
            {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-governance-dashboard","event_type":"audit","severity":"info","environment":"production","payload":{"payload_type":"governance","data":{"governance_type":"audit_trail","action":"deploy","actor":"a","resource_type":"model","resource_id":"m","changes":{"v":{"old":1,"old":2}},"ip_address":null,"user_agent":null}}}
            """;

        AssertSingleError(json, ProblemCodes.DuplicateKey, "payload.data.changes.v.old");
    }

    [Fact]
    public void Read_UnknownKeysEverywhere_AreIgnoredAndNotWritten()
    {
        var json = Base2("\"severity\":\"info\"", "\"severity\":\"info\",\"x_top\":{\"deep\":[1,{\"y\":null}]}")
            .Replace("\"payload_type\":\"telemetry\"", "\"payload_type\":\"telemetry\",\"x_payload\":true", StringComparison.Ordinal)
            .Replace("\"model_id\":\"gpt-4\"", "\"model_id\":\"gpt-4\",\"x_data\":\"s\",\"Model_Id\":\"other case is another key\"", StringComparison.Ordinal);

        var evt = ReadClean(json);

        var written = AnalyticsEventJson.Serialize(evt);
        Assert.Equal(AnalyticsEventJson.Serialize(ReadClean(Base)), written);
        Assert.DoesNotContain("x_", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_HostileStrings_AreNotHtmlEscaped()
    {
        var json = Base2("\"production\"", "\"<script>alert('x')</script> & café \\\"q\\\" \\\\ \\n\"");

        var evt = ReadClean(json);
        var written = AnalyticsEventJson.Serialize(evt);

        Assert.Equal("<script>alert('x')</script> & café \"q\" \\ \n", evt.Common.Environment);
        Assert.Contains("\"environment\":\"<script>alert('x')</script> & café \\\"q\\\" \\\\ \\n\"", written, StringComparison.Ordinal);
        Assert.Equal(evt.Common.Environment, ReadClean(written).Common.Environment);
    }

    [Fact]
    public void JsonSerializerWithContext_HostileStrings_WritesTheSameTextAsAnalyticsEventJson()
    {
        var evt = ReadClean(Base2("\"production\"", "\"<script>&'é\""));

        var written = System.Text.Json.JsonSerializer.Serialize(evt, AnalyticsHubJsonContext.Default.AnalyticsEvent);

        Assert.Equal(AnalyticsEventJson.Serialize(evt), written);
        Assert.Contains("<script>&'é", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_NonAsciiInKeysAndValues_IsWrittenLiterally()
    {
        var json = Base2("\"severity\":\"info\"", "\"severity\":\"info\",\"tags\":{\"équipe\":\"données\",\"日本\":\"東京\"}");

        var written = AnalyticsEventJson.Serialize(ReadClean(json));

        Assert.Contains("\"tags\":{\"équipe\":\"données\",\"日本\":\"東京\"}", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EscapedEnumName_Matches()
    {
        var evt = ReadClean(Base2("\"info\"", "\"\\u0069nfo\""));

        Assert.Equal(Severity.Info, evt.Severity);
    }

    // Byte offsets on small inputs

    [Fact]
    public void Read_MissingRequiredField_PointsAtTheObjectThatLacksIt()
    {
        var json = Base2("\"model_id\":\"gpt-4\",", string.Empty);

        var problem = AssertSingleError(json, ProblemCodes.MissingField, "payload.data.model_id");

        Assert.Equal(OffsetOf(json, "{\"telemetry_type\""), problem.ByteOffset);
    }

    [Fact]
    public void Read_SeveralProblems_ReportsEachWithItsOwnOffset()
    {
        var json = Base2("\"info\"", "\"urgent\"").Replace("\"prompt_tokens\":1", "\"prompt_tokens\":-1", StringComparison.Ordinal);

        var result = AnalyticsEventJson.Read(json);

        Assert.False(result.Succeeded);
        Assert.Collection(
            result.Problems.OrderBy(p => p.ByteOffset),
            p =>
            {
                Assert.Equal(("severity", ProblemCodes.InvalidEnumValue), (p.Path, p.Code));
                Assert.Equal(OffsetOf(json, "\"urgent\""), p.ByteOffset);
            },
            p =>
            {
                Assert.Equal(("payload.data.prompt_tokens", ProblemCodes.NumberOutOfRange), (p.Path, p.Code));
                Assert.Equal(OffsetOf(json, "-1,"), p.ByteOffset);
            });
    }

    [Fact]
    public void Read_OffsetAfterMultiByteCharacters_CountsBytes()
    {
        var bad = Base2("\"severity\":\"info\"", "\"tags\":{\"ü\":\"é\"},\"severity\":\"nope\"");

        var problem = AssertSingleError(bad, ProblemCodes.InvalidEnumValue, "severity");

        Assert.Equal(OffsetOf(bad, "\"nope\""), problem.ByteOffset);
        Assert.Equal(bad.IndexOf("\"nope\"", StringComparison.Ordinal) + 2, problem.ByteOffset);
    }

    [Fact]
    public void Read_TruncatedInput_ReportsInvalidJsonAtTheEnd()
    {
        const string json = """{"event_id":"6f1c2a8e""";

        var problem = AssertSingleError(json, ProblemCodes.InvalidJson, "$");

        Assert.InRange(problem.ByteOffset!.Value, 12, json.Length);
    }

    [Fact]
    public void Read_BadLiteral_ReportsInvalidJsonWhereTheLiteralBreaks()
    {
        const string json = """{"severity":tru}""";

        var problem = AssertSingleError(json, ProblemCodes.InvalidJson, "$");

        // The reader notices the broken literal at its first wrong byte, the '}'.
        Assert.Equal(json.IndexOf('}', StringComparison.Ordinal), problem.ByteOffset);
    }

    private static string ThreatJson(string threatType) =>
        $$$$"""{"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-sentinel","event_type":"security","severity":"info","environment":"production","payload":{"payload_type":"security","data":{"security_type":"threat","threat_id":"t","threat_type":{{{{threatType}}}},"threat_level":"low","source_ip":null,"target_resource":"r","attack_vector":"a","mitigation_status":"detected","indicators_of_compromise":[]}}}""";

    private const string ErrorRateJson =
        """{"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-observatory","event_type":"telemetry","severity":"info","environment":"production","payload":{"payload_type":"telemetry","data":{"telemetry_type":"error_rate","model_id":"m","total_requests":1,"failed_requests":0,"error_rate_percent":1,"error_breakdown":{},"window_duration_seconds":60}}}""";
}
