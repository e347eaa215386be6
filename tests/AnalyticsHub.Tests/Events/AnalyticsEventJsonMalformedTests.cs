using System.Text;
using AnalyticsHub.Events;
using static AnalyticsHub.Tests.Events.EventJsonAssert;

namespace AnalyticsHub.Tests.Events;

/// <summary>Malformed input: never an exception, always catalogue codes with paths and offsets.</summary>
public sealed class AnalyticsEventJsonMalformedTests
{
    private const string Threat =
        """{"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-sentinel","event_type":"security","severity":"info","environment":"production","tags":{"a":"b"},"payload":{"payload_type":"security","data":{"security_type":"threat","threat_id":"t","threat_type":"prompt_injection","threat_level":"low","source_ip":null,"target_resource":"r","attack_vector":"a","mitigation_status":"detected","indicators_of_compromise":["x","y"]}}}""";

    private const string Latency =
        """{"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-observatory","event_type":"telemetry","severity":"info","environment":"production","payload":{"payload_type":"telemetry","data":{"telemetry_type":"latency","model_id":"m","request_id":"r","total_latency_ms":1,"breakdown":{"queue_time_ms":1,"processing_time_ms":2,"network_time_ms":3,"other_ms":0}}}}""";

    private const string Custom =
        """{"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z","source_module":"llm-analytics-hub","event_type":"alert","severity":"info","environment":"production","payload":{"payload_type":"custom","data":{"custom_type":"anomaly","data":{"a":1}}}}""";

    private static string With(string json, string from, string to)
    {
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryProperPrefix_FailsWithInvalidJsonOrEmptyInput()
    {
        var bytes = Encoding.UTF8.GetBytes(Threat);
        ReadClean(Threat);

        for (var length = 0; length < bytes.Length; length++)
        {
            var result = AnalyticsEventJson.Read(bytes.AsSpan(0, length));

            ReadResultAssert.AssertWellFormed(result, length);
            var problem = Assert.Single(result.Problems);
            Assert.Equal(length == 0 ? ProblemCodes.EmptyInput : ProblemCodes.InvalidJson, problem.Code);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \r\n\t ")]
    public void Read_EmptyInput_ReportsEmptyInput(string json)
    {
        var problem = AssertSingleError(json, ProblemCodes.EmptyInput, "$");

        Assert.Equal(0, problem.ByteOffset);
    }

    [Theory]
    [InlineData("[]", ProblemCodes.InvalidType)]
    [InlineData("[{}]", ProblemCodes.InvalidType)]
    [InlineData("\"event\"", ProblemCodes.InvalidType)]
    [InlineData("42", ProblemCodes.InvalidType)]
    [InlineData("null", ProblemCodes.InvalidType)]
    [InlineData("{}{}", ProblemCodes.InvalidJson)]
    [InlineData("{} x", ProblemCodes.InvalidJson)]
    [InlineData("{", ProblemCodes.InvalidJson)]
    [InlineData("{\"a\":}", ProblemCodes.InvalidJson)]
    [InlineData("{\"a\":1,}", ProblemCodes.InvalidJson)]
    [InlineData("{'a':1}", ProblemCodes.InvalidJson)]
    [InlineData("{\"a\":NaN}", ProblemCodes.InvalidJson)]
    [InlineData("{\"a\":01}", ProblemCodes.InvalidJson)]
    [InlineData("{\"a\":1} // comment", ProblemCodes.InvalidJson)]
    public void Read_NotAnEventObject_ReportsAtTheRoot(string json, string code) =>
        AssertSingleError(json, code, "$");

    [Fact]
    public void Read_TrailingGarbageAfterValidEvent_ReportsInvalidJson() =>
        AssertSingleError(Threat + ",", ProblemCodes.InvalidJson, "$");

    [Fact]
    public void Read_InvalidUtf8_ReportsInvalidUtf8AtTheBadByte()
    {
        var bytes = Encoding.UTF8.GetBytes(Threat);
        var at = Threat.IndexOf("production", StringComparison.Ordinal);
        bytes[at + 2] = 0xC3;
        bytes[at + 3] = 0x28;

        var result = AnalyticsEventJson.Read(bytes);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ProblemCodes.InvalidUtf8, problem.Code);
        Assert.Equal(at + 2, problem.ByteOffset);
        Assert.Null(result.Event);
    }

    [Theory]
    [InlineData("\"production\"", "\"\\ud800\"", "environment")]
    [InlineData("\"production\"", "\"a\\udc00b\"", "environment")]
    [InlineData("\"tags\":{\"a\":\"b\"}", "\"tags\":{\"\\ud800\":\"b\"}", "tags")]
    [InlineData("\"tags\":{\"a\":\"b\"}", "\"tags\":{\"a\":\"\\ud800\"}", "tags.a")]
    [InlineData("[\"x\",\"y\"]", "[\"x\",\"\\ud800\"]", "payload.data.indicators_of_compromise[1]")]
    public void Read_EscapedLoneSurrogate_ReportsInvalidUtf8(string from, string to, string path) =>
        AssertSingleError(With(Threat, from, to), ProblemCodes.InvalidUtf8, path);

    [Fact]
    public void Read_EscapedLoneSurrogateAsUnknownKey_ReportsInvalidUtf8()
    {
        var result = AnalyticsEventJson.Read(With(Threat, "\"severity\"", "\"\\ud800\":1,\"severity\""));

        Assert.False(result.Succeeded);
        Assert.Equal(ProblemCodes.InvalidUtf8, Assert.Single(result.Problems).Code);
    }

    [Theory]
    [InlineData("\"threat_id\"", "\"\\ud800\":1,\"threat_id\"")]
    [InlineData("\"security_type\"", "\"\\udbff\":1,\"security_type\"")]
    [InlineData("\"payload_type\"", "\"\\ud800x\":1,\"payload_type\"")]
    [InlineData("\"threat_type\":\"prompt_injection\"", "\"threat_type\":{\"\\ud800\":\"x\"}")]
    public void Read_EscapedLoneSurrogateInAnyKey_ReportsAProblemWithoutThrowing(string from, string to)
    {
        var json = With(Threat, from, to);

        var result = AnalyticsEventJson.Read(json);

        ReadResultAssert.AssertWellFormed(result, Encoding.UTF8.GetByteCount(json));
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Read_EscapedLoneSurrogateInCustomData_ReportsInvalidUtf8() =>
        AssertSingleError(With(Custom, "{\"a\":1}", "{\"a\":[\"\\udfff\"]}"), ProblemCodes.InvalidUtf8, "payload.data.data.a[0]");

    [Theory]
    [InlineData("\"payload\":{\"payload_type\":\"security\",", "\"payload\":[{\"payload_type\":\"security\",", ProblemCodes.InvalidJson, "payload")]
    [InlineData("\"data\":{\"security_type\"", "\"data\":\"{\\\"security_type\\\"", ProblemCodes.InvalidJson, "payload")]
    [InlineData("\"payload_type\":\"security\"", "\"payload_type\":null", ProblemCodes.NullNotAllowed, "payload.payload_type")]
    [InlineData("\"payload_type\":\"security\"", "\"payload_type\":5", ProblemCodes.InvalidType, "payload.payload_type")]
    [InlineData("\"payload_type\":\"security\"", "\"payload_type\":{\"other\":\"x\"}", ProblemCodes.InvalidType, "payload.payload_type")]
    [InlineData("\"security_type\":\"threat\"", "\"security_type\":null", ProblemCodes.NullNotAllowed, "payload.data.security_type")]
    [InlineData("\"security_type\":\"threat\"", "\"security_type\":[]", ProblemCodes.InvalidType, "payload.data.security_type")]
    [InlineData("\"security_type\":\"threat\"", "\"security_type\":\"latency\"", ProblemCodes.InvalidEnumValue, "payload.data.security_type")]
    [InlineData("\"threat_id\":\"t\"", "\"threat_id\":1", ProblemCodes.InvalidType, "payload.data.threat_id")]
    [InlineData("\"threat_id\":\"t\"", "\"threat_id\":null", ProblemCodes.NullNotAllowed, "payload.data.threat_id")]
    [InlineData("\"threat_id\":\"t\",", "", ProblemCodes.MissingField, "payload.data.threat_id")]
    [InlineData("\"source_ip\":null", "\"source_ip\":false", ProblemCodes.InvalidType, "payload.data.source_ip")]
    [InlineData("[\"x\",\"y\"]", "\"x\"", ProblemCodes.InvalidType, "payload.data.indicators_of_compromise")]
    [InlineData("[\"x\",\"y\"]", "null", ProblemCodes.NullNotAllowed, "payload.data.indicators_of_compromise")]
    [InlineData("[\"x\",\"y\"]", "[\"x\",1]", ProblemCodes.InvalidType, "payload.data.indicators_of_compromise[1]")]
    [InlineData("[\"x\",\"y\"]", "[null,\"y\"]", ProblemCodes.NullNotAllowed, "payload.data.indicators_of_compromise[0]")]
    [InlineData("\"threat_level\":\"low\"", "\"threat_level\":\"\"", ProblemCodes.InvalidEnumValue, "payload.data.threat_level")]
    [InlineData("\"environment\":\"production\"", "\"environment\":[\"production\"]", ProblemCodes.InvalidType, "environment")]
    [InlineData("\"environment\":\"production\",", "", ProblemCodes.MissingField, "environment")]
    [InlineData("\"source_module\":\"llm-sentinel\",", "", ProblemCodes.MissingField, "source_module")]
    [InlineData("\"timestamp\":\"2024-01-15T10:30:00Z\",", "", ProblemCodes.MissingField, "timestamp")]
    [InlineData("\"event_type\":\"security\"", "\"event_type\":\"\"", ProblemCodes.InvalidEnumValue, "event_type")]
    public void Read_MistypedOrMisplacedValue_ReportsCodeAndPath(string from, string to, string code, string path) =>
        AssertSingleError(With(Threat, from, to), code, path);

    [Theory]
    [InlineData("[]", ProblemCodes.InvalidType)]
    [InlineData("\"payload\"", ProblemCodes.InvalidType)]
    [InlineData("null", ProblemCodes.NullNotAllowed)]
    [InlineData("1", ProblemCodes.InvalidType)]
    public void Read_PayloadNotAnObject_ReportsAtPayload(string payload, string code)
    {
        var json = With(Threat, Threat[Threat.IndexOf("{\"payload_type\"", StringComparison.Ordinal)..^1], payload);

        var problem = AssertSingleError(json, code, "payload");

        Assert.Equal(OffsetOf(json, "\"payload\":") + "\"payload\":".Length, problem.ByteOffset);
    }

    [Theory]
    [InlineData("\"{}\"", ProblemCodes.InvalidType)]
    [InlineData("[]", ProblemCodes.InvalidType)]
    [InlineData("null", ProblemCodes.NullNotAllowed)]
    [InlineData("true", ProblemCodes.InvalidType)]
    public void Read_DataNotAnObject_ReportsAtPayloadData(string data, string code)
    {
        var json = With(Threat, Threat[Threat.IndexOf("{\"security_type\"", StringComparison.Ordinal)..^2], data);

        var problem = AssertSingleError(json, code, "payload.data");

        Assert.Equal(OffsetOf(json, "\"data\":") + "\"data\":".Length, problem.ByteOffset);
    }

    [Theory]
    [InlineData("\"{}\"", ProblemCodes.InvalidType)]
    [InlineData("null", ProblemCodes.NullNotAllowed)]
    [InlineData("[{\"custom_type\":\"x\",\"data\":1}]", ProblemCodes.InvalidType)]
    public void Read_CustomDataNotAnObject_ReportsAtPayloadData(string data, string code) =>
        AssertSingleError(With(Custom, "{\"custom_type\":\"anomaly\",\"data\":{\"a\":1}}", data), code, "payload.data");

    [Fact]
    public void Read_CustomWithoutInnerData_ReportsMissingField() =>
        AssertSingleError(With(Custom, ",\"data\":{\"a\":1}", string.Empty), ProblemCodes.MissingField, "payload.data.data");

    [Theory]
    [InlineData("\"breakdown\":{\"queue_time_ms\":1,", "\"breakdown\":{", ProblemCodes.MissingField, "payload.data.breakdown.queue_time_ms")]
    [InlineData("\"other_ms\":0", "\"other_ms\":\"0\"", ProblemCodes.InvalidType, "payload.data.breakdown.other_ms")]
    [InlineData("\"other_ms\":0", "\"other_ms\":null", ProblemCodes.NullNotAllowed, "payload.data.breakdown.other_ms")]
    [InlineData("\"other_ms\":0", "\"other_ms\":0,\"other_ms\":1", ProblemCodes.DuplicateKey, "payload.data.breakdown.other_ms")]
    [InlineData("\"total_latency_ms\":1", "\"total_latency_ms\":1e999", ProblemCodes.NumberOutOfRange, "payload.data.total_latency_ms")]
    [InlineData("\"total_latency_ms\":1", "\"total_latency_ms\":1,\"ttft_ms\":\"fast\"", ProblemCodes.InvalidType, "payload.data.ttft_ms")]
    public void Read_BadLatencyValue_ReportsCodeAndPath(string from, string to, string code, string path) =>
        AssertSingleError(With(Latency, from, to), code, path);

    [Fact]
    public void Read_BreakdownAsArray_ReportsInvalidType()
    {
        var start = Latency.IndexOf("{\"queue_time_ms\"", StringComparison.Ordinal);
        var end = Latency.IndexOf('}', start) + 1;
        var json = With(Latency, Latency[start..end], "[1,2,3,0]");

        AssertSingleError(json, ProblemCodes.InvalidType, "payload.data.breakdown");
    }

    [Fact]
    public void Read_BreakdownNull_ReadsAsAbsent()
    {
        var start = Latency.IndexOf("{\"queue_time_ms\"", StringComparison.Ordinal);
        var end = Latency.IndexOf('}', start) + 1;

        var evt = ReadClean(With(Latency, Latency[start..end], "null"));

        Assert.Null(Assert.IsType<LatencyMetrics>(evt.Payload).Breakdown);
    }

    [Fact]
    public void Read_NestingDeeperThanTheLimit_ReportsInvalidJson()
    {
        var deep = new string('[', 200) + new string(']', 200);

        var result = AnalyticsEventJson.Read(With(Custom, "{\"a\":1}", deep));

        ReadResultAssert.AssertWellFormed(result, Encoding.UTF8.GetByteCount(Custom) + 400);
        Assert.Equal(ProblemCodes.InvalidJson, Assert.Single(result.Problems).Code);
    }

    [Fact]
    public void Read_NestingWithinTheLimit_IsAccepted()
    {
        var deep = new string('[', 50) + new string(']', 50);

        var evt = ReadClean(With(Custom, "{\"a\":1}", deep));

        Assert.Contains("\"data\":" + deep + "}", AnalyticsEventJson.Serialize(evt), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_VeryLongUnknownEnumValue_EchoesAShortenedValue()
    {
        var value = new string('x', 10_000);

        var problem = AssertSingleError(With(Threat, "\"info\"", $"\"{value}\""), ProblemCodes.InvalidEnumValue, "severity");

        Assert.True(problem.Message.Length < 300, problem.Message);
    }

    [Fact]
    public void Read_ManyProblems_ReportsEveryOne()
    {
        var json = With(Threat, "\"info\"", "\"urgent\"")
            .Replace("\"threat_level\":\"low\"", "\"threat_level\":9", StringComparison.Ordinal)
            .Replace("\"target_resource\":\"r\",", string.Empty, StringComparison.Ordinal)
            .Replace("\"2024-01-15T10:30:00Z\"", "\"yesterday\"", StringComparison.Ordinal);

        var result = AnalyticsEventJson.Read(json);

        ReadResultAssert.AssertWellFormed(result, json.Length);
        Assert.Equal(
            ["payload.data.target_resource missing_field", "payload.data.threat_level invalid_type", "severity invalid_enum_value", "timestamp invalid_timestamp"],
            result.Problems.Select(p => $"{p.Path} {p.Code}").Order(StringComparer.Ordinal));
    }
}
