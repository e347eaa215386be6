using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AnalyticsHub.Events;
using FsCheck;
using FsCheck.Fluent;

namespace AnalyticsHub.Tests.Events;

/// <summary>
/// FsCheck generators for every event type of the unified schema, for reuse by later features.
/// </summary>
/// <remarks>
/// Values cover the whole wire range: finite doubles of any magnitude and sign, full u32/u64 ranges,
/// strings with quotes, HTML characters, control characters and non-BMP letters, timestamps from
/// year 1 to 9999 at 100 ns precision, optional fields present and absent, open enums known and
/// <c>Other</c>. Every generated event is writable (no NaN, no lone surrogates).
/// </remarks>
public static class EventGenerators
{
    private static readonly string[] Alphabet =
    [
        "a", "b", "z", "A", "Q", "0", "7", "-", "_", ".", " ", "\"", "\\", "/", "<", ">", "&", "'", "é", "ß", "Ω",
        "日", "本", "😀", "𝄞", "\n", "\t", "\u0000", "\u001f", "\u007f", "\u00a0", "\u2028", "+", "=", "{", "}",
    ];

    private static readonly string[] SampleWords =
    [
        "gpt-4", "claude-sonnet-4", "production", "<script>alert(1)</script>", "a&b", "it's", "café", "", "null", "true", "0",
    ];

    /// <summary>Any 64 random bits.</summary>
    public static Gen<ulong> Bits64 { get; } =
        Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32) | (uint)t.Item2);

    /// <summary>Any <see cref="uint"/>, edges included.</summary>
    public static Gen<uint> UInt32 { get; } = Gen.Frequency(
        (1, Gen.Elements<uint>(0u, 1u, 2u, 255u, 65_536u, int.MaxValue, uint.MaxValue - 1, uint.MaxValue)),
        (2, Gen.Choose(0, 10_000).Select(i => (uint)i)),
        (2, Bits64.Select(b => (uint)b)));

    /// <summary>Any <see cref="ulong"/>, including values above 2^53 that a double cannot hold.</summary>
    public static Gen<ulong> UInt64 { get; } = Gen.Frequency(
        (1, Gen.Elements<ulong>(0UL, 1UL, 9_007_199_254_740_992UL, 9_007_199_254_740_993UL, long.MaxValue, ulong.MaxValue - 1, ulong.MaxValue)),
        (2, Gen.Choose(0, 1_000_000).Select(i => (ulong)i)),
        (2, Bits64));

    /// <summary>Any finite double: negatives, zeros, huge, tiny and subnormal values.</summary>
    public static Gen<double> FiniteDouble { get; } = Gen.Frequency(
        (1, Gen.Elements(0.0, -0.0, 1.0, -1.0, 0.1, 1523.45, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon, 1e-300, 1e300, 2.2250738585072014e-308)),
        (3, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 100.0)),
        (3, Bits64.Select(BitConverter.UInt64BitsToDouble).Where(double.IsFinite)));

    /// <summary>Non-negative finite doubles, for fields where a sign would be odd in realistic data.</summary>
    public static Gen<double> NonNegativeDouble { get; } = FiniteDouble.Select(Math.Abs);

    /// <summary>Strings with unicode, quotes, backslashes, HTML characters and control characters.</summary>
    public static Gen<string> Text { get; } = Gen.Frequency(
        (1, Gen.Elements(SampleWords)),
        (4, Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements(Alphabet), n)).Select(string.Concat)));

    /// <summary>A string or <see langword="null"/>.</summary>
    public static Gen<string?> OptionalText { get; } = Gen.Frequency(
        (1, Gen.Constant<string?>(null)),
        (3, Text.Select(s => (string?)s)));

    /// <summary>Any UTC instant from 0001-01-01 to 9999-12-31 at tick precision, often rounded to s, ms or µs.</summary>
    public static Gen<DateTimeOffset> Timestamp { get; } =
        from bits in Bits64
        from rounding in Gen.Elements(1L, 10L, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond)
        let ticks = (long)(bits % ((ulong)DateTime.MaxValue.Ticks + 1))
        select new DateTimeOffset(ticks - (ticks % rounding), TimeSpan.Zero);

    /// <summary>Any UUID.</summary>
    public static Gen<Guid> Uuid { get; } = Gen.Frequency(
        (1, Gen.Constant(Guid.Empty)),
        (5, Bits64.Two().Select(t => CreateGuid(t.Item1, t.Item2))));

    /// <summary>A present or absent UUID.</summary>
    public static Gen<Guid?> OptionalUuid { get; } = Optional(Uuid);

    /// <summary>String tags, often empty.</summary>
    public static Gen<IReadOnlyDictionary<string, string>> Tags { get; } = MapOf(Text);

    /// <summary>A supported schema version.</summary>
    public static Gen<string> SchemaVersionText { get; } = Gen.Elements("1.0.0", "1.0.0", "1.2.3", "1.10.0", "1.0.999999999");

    /// <summary>The common fields of an event.</summary>
    public static Gen<CommonEventFields> Common { get; } =
        from id in Uuid
        from timestamp in Timestamp
        from module in Enum<SourceModule>()
        from type in Enum<EventType>()
        from correlation in OptionalUuid
        from parent in OptionalUuid
        from version in SchemaVersionText
        from severity in Enum<Severity>()
        from environment in Text
        from tags in Tags
        select new CommonEventFields
        {
            EventId = id,
            Timestamp = timestamp,
            SourceModule = module,
            EventType = type,
            CorrelationId = correlation,
            ParentEventId = parent,
            SchemaVersion = version,
            Severity = severity,
            Environment = environment,
            Tags = tags,
        };

    /// <summary>A known threat type or <c>Other(name)</c>.</summary>
    public static Gen<ThreatType> ThreatType { get; } = Gen.Frequency(
        (3, Gen.Elements(System.Enum.GetValues<ThreatCategory>().Where(c => c != ThreatCategory.Other).ToArray()).Select(AnalyticsHub.Events.ThreatType.FromCategory)),
        (2, Text.Select(AnalyticsHub.Events.ThreatType.Other)));

    /// <summary>A known resource type or <c>Other(name)</c>.</summary>
    public static Gen<ResourceType> ResourceType { get; } = Gen.Frequency(
        (3, Gen.Elements(System.Enum.GetValues<ResourceCategory>().Where(c => c != ResourceCategory.Other).ToArray()).Select(AnalyticsHub.Events.ResourceType.FromCategory)),
        (2, Text.Select(AnalyticsHub.Events.ResourceType.Other)));

    /// <summary>Any JSON value (objects, arrays, strings, numbers, booleans, null), a few levels deep.</summary>
    public static Gen<JsonElement> Json { get; } = Gen.Sized(size => JsonOfDepth(Math.Min(3, size / 10))).Select(ToElement);

    /// <summary>A latency measurement, with and without its optional parts.</summary>
    public static Gen<LatencyMetrics> Latency { get; } =
        from model in Text
        from request in Text
        from total in FiniteDouble
        from ttft in Optional(FiniteDouble)
        from tps in Optional(FiniteDouble)
        from breakdown in Gen.OrNull(
            from q in FiniteDouble
            from p in FiniteDouble
            from n in FiniteDouble
            from o in FiniteDouble
            select new LatencyBreakdown { QueueTimeMs = q, ProcessingTimeMs = p, NetworkTimeMs = n, OtherMs = o })
        select new LatencyMetrics { ModelId = model, RequestId = request, TotalLatencyMs = total, TtftMs = ttft, TokensPerSecond = tps, Breakdown = breakdown };

    /// <summary>A throughput measurement.</summary>
    public static Gen<ThroughputMetrics> Throughput { get; } =
        from model in Text
        from rps in FiniteDouble
        from tps in FiniteDouble
        from concurrent in UInt32
        from window in UInt32
        select new ThroughputMetrics { ModelId = model, RequestsPerSecond = rps, TokensPerSecond = tps, ConcurrentRequests = concurrent, WindowDurationSeconds = window };

    /// <summary>An error-rate measurement with u64 counts.</summary>
    public static Gen<ErrorRateMetrics> ErrorRate { get; } =
        from model in Text
        from total in UInt64
        from failed in UInt64
        from percent in FiniteDouble
        from breakdown in MapOf(UInt64)
        from window in UInt32
        select new ErrorRateMetrics { ModelId = model, TotalRequests = total, FailedRequests = failed, ErrorRatePercent = percent, ErrorBreakdown = breakdown, WindowDurationSeconds = window };

    /// <summary>A token-usage measurement, with and without the decision-9 fields.</summary>
    public static Gen<TokenUsageMetrics> TokenUsage { get; } =
        from model in Text
        from request in Text
        from prompt in UInt32
        from completion in UInt32
        from total in UInt32
        from cached in Optional(UInt32)
        from creation in Optional(UInt32)
        from reasoning in Optional(UInt32)
        select new TokenUsageMetrics
        {
            ModelId = model, RequestId = request, PromptTokens = prompt, CompletionTokens = completion, TotalTokens = total,
            CachedInputTokens = cached, CacheCreationInputTokens = creation, ReasoningTokens = reasoning,
        };

    /// <summary>A model-performance measurement, its optionals null or set.</summary>
    public static Gen<ModelPerformanceMetrics> ModelPerformance { get; } =
        from model in Text
        from accuracy in Optional(FiniteDouble)
        from quality in Optional(FiniteDouble)
        from satisfaction in Optional(FiniteDouble)
        from metrics in MapOf(FiniteDouble)
        select new ModelPerformanceMetrics { ModelId = model, Accuracy = accuracy, QualityScore = quality, UserSatisfaction = satisfaction, CustomMetrics = metrics };

    /// <summary>A threat, known or other type.</summary>
    public static Gen<ThreatEvent> Threat { get; } =
        from id in Text
        from type in ThreatType
        from level in Enum<ThreatLevel>()
        from ip in OptionalText
        from target in Text
        from vector in Text
        from status in Enum<MitigationStatus>()
        from indicators in ListOf(Text)
        select new ThreatEvent
        {
            ThreatId = id, ThreatType = type, ThreatLevel = level, SourceIp = ip, TargetResource = target, AttackVector = vector,
            MitigationStatus = status, IndicatorsOfCompromise = indicators,
        };

    /// <summary>A vulnerability.</summary>
    public static Gen<VulnerabilityEvent> Vulnerability { get; } =
        from id in Text
        from cve in OptionalText
        from score in FiniteDouble
        from component in Text
        from description in Text
        from status in Enum<RemediationStatus>()
        select new VulnerabilityEvent { VulnerabilityId = id, CveId = cve, SeverityScore = score, AffectedComponent = component, Description = description, RemediationStatus = status };

    /// <summary>A compliance violation.</summary>
    public static Gen<ComplianceViolationEvent> ComplianceViolation { get; } =
        from id in Text
        from regulation in Text
        from requirement in Text
        from description in Text
        from types in ListOf(Text)
        from required in Gen.Elements(true, false)
        select new ComplianceViolationEvent
        {
            ViolationId = id, Regulation = regulation, Requirement = requirement, ViolationDescription = description,
            AffectedDataTypes = types, RemediationRequired = required,
        };

    /// <summary>An authentication event.</summary>
    public static Gen<AuthEvent> Auth { get; } =
        from user in Text
        from action in Enum<AuthAction>()
        from resource in Text
        from success in Gen.Elements(true, false)
        from reason in OptionalText
        select new AuthEvent { UserId = user, Action = action, Resource = resource, Success = success, FailureReason = reason };

    /// <summary>A privacy event.</summary>
    public static Gen<PrivacyEvent> Privacy { get; } =
        from dataType in Text
        from operation in Enum<PrivacyOperation>()
        from consent in Gen.Elements(true, false)
        from subjects in ListOf(Text)
        from purpose in Text
        select new PrivacyEvent { DataType = dataType, Operation = operation, UserConsent = consent, DataSubjects = subjects, Purpose = purpose };

    /// <summary>A token cost, with and without the decision-9 fields.</summary>
    public static Gen<TokenCostEvent> TokenCost { get; } =
        from usage in TokenUsage
        from perPrompt in FiniteDouble
        from perCompletion in FiniteDouble
        from total in FiniteDouble
        from currency in Gen.Elements("USD", "EUR", "", "<x>")
        from cachedCost in Optional(FiniteDouble)
        from creationCost in Optional(FiniteDouble)
        from reasoningCost in Optional(FiniteDouble)
        from priceVersion in OptionalText
        select new TokenCostEvent
        {
            ModelId = usage.ModelId, RequestId = usage.RequestId, PromptTokens = usage.PromptTokens, CompletionTokens = usage.CompletionTokens,
            TotalTokens = usage.TotalTokens, CostPerPromptToken = perPrompt, CostPerCompletionToken = perCompletion, TotalCostUsd = total,
            Currency = currency, CachedInputTokens = usage.CachedInputTokens, CacheCreationInputTokens = usage.CacheCreationInputTokens,
            ReasoningTokens = usage.ReasoningTokens, CachedInputCostUsd = cachedCost, CacheCreationCostUsd = creationCost,
            ReasoningCostUsd = reasoningCost, PriceVersion = priceVersion,
        };

    /// <summary>An API cost with a u64 request count.</summary>
    public static Gen<ApiCostEvent> ApiCost { get; } =
        from provider in Text
        from endpoint in Text
        from count in UInt64
        from perRequest in FiniteDouble
        from total in FiniteDouble
        from period in Text
        select new ApiCostEvent { Provider = provider, ApiEndpoint = endpoint, RequestCount = count, CostPerRequest = perRequest, TotalCostUsd = total, BillingPeriod = period };

    /// <summary>A resource consumption, known or other resource type.</summary>
    public static Gen<ResourceConsumptionEvent> ResourceConsumption { get; } =
        from type in ResourceType
        from id in Text
        from quantity in FiniteDouble
        from unit in Text
        from cost in FiniteDouble
        from utilization in FiniteDouble
        select new ResourceConsumptionEvent { ResourceType = type, ResourceId = id, Quantity = quantity, Unit = unit, CostUsd = cost, UtilizationPercent = utilization };

    /// <summary>A budget alert.</summary>
    public static Gen<BudgetAlertEvent> BudgetAlert { get; } =
        from id in Text
        from name in Text
        from limit in FiniteDouble
        from spend in FiniteDouble
        from threshold in FiniteDouble
        from type in Enum<BudgetAlertType>()
        select new BudgetAlertEvent { BudgetId = id, BudgetName = name, BudgetLimitUsd = limit, CurrentSpendUsd = spend, ThresholdPercent = threshold, AlertType = type };

    /// <summary>A policy violation.</summary>
    public static Gen<PolicyViolationEvent> PolicyViolation { get; } =
        from id in Text
        from name in Text
        from description in Text
        from rules in ListOf(Text)
        from resource in Text
        from user in OptionalText
        from severity in Enum<PolicyViolationSeverity>()
        from remediated in Gen.Elements(true, false)
        select new PolicyViolationEvent
        {
            PolicyId = id, PolicyName = name, ViolationDescription = description, ViolatedRules = rules, ResourceId = resource,
            UserId = user, Severity = severity, AutoRemediated = remediated,
        };

    /// <summary>An audit-trail entry with arbitrary JSON changes.</summary>
    public static Gen<AuditTrailEvent> AuditTrail { get; } =
        from action in Text
        from actor in Text
        from resourceType in Text
        from resourceId in Text
        from changes in MapOf(Json)
        from ip in OptionalText
        from agent in OptionalText
        select new AuditTrailEvent
        {
            Action = action, Actor = actor, ResourceType = resourceType, ResourceId = resourceId, Changes = changes, IpAddress = ip, UserAgent = agent,
        };

    /// <summary>A compliance finding.</summary>
    public static Gen<ComplianceFinding> Finding { get; } =
        from control in Text
        from status in Enum<ComplianceStatus>()
        from description in Text
        from evidence in OptionalText
        select new ComplianceFinding { ControlId = control, Status = status, Description = description, Evidence = evidence };

    /// <summary>A compliance check with findings.</summary>
    public static Gen<ComplianceCheckEvent> ComplianceCheck { get; } =
        from id in Text
        from framework in Text
        from controls in ListOf(Text)
        from passed in Gen.Elements(true, false)
        from findings in ListOf(Finding)
        from score in FiniteDouble
        select new ComplianceCheckEvent { CheckId = id, Framework = framework, ControlsChecked = controls, Passed = passed, Findings = findings, Score = score };

    /// <summary>A data-lineage step.</summary>
    public static Gen<DataLineageEvent> DataLineage { get; } =
        from id in Text
        from operation in Enum<DataOperation>()
        from source in OptionalText
        from destination in OptionalText
        from transformation in OptionalText
        from path in ListOf(Text)
        select new DataLineageEvent { DataAssetId = id, Operation = operation, Source = source, Destination = destination, Transformation = transformation, LineagePath = path };

    /// <summary>A custom payload whose data is any JSON value, null, or unset.</summary>
    public static Gen<CustomPayload> Custom { get; } =
        from type in Text
        from data in Gen.Frequency((1, Gen.Constant(default(JsonElement))), (6, Json))
        select new CustomPayload { CustomType = type, Data = data };

    /// <summary>Any telemetry payload.</summary>
    public static Gen<TelemetryPayload> AnyTelemetry { get; } = Gen.OneOf(
        Latency.Select(p => (TelemetryPayload)p),
        Throughput.Select(p => (TelemetryPayload)p),
        ErrorRate.Select(p => (TelemetryPayload)p),
        TokenUsage.Select(p => (TelemetryPayload)p),
        ModelPerformance.Select(p => (TelemetryPayload)p));

    /// <summary>Any security payload.</summary>
    public static Gen<SecurityPayload> AnySecurity { get; } = Gen.OneOf(
        Threat.Select(p => (SecurityPayload)p),
        Vulnerability.Select(p => (SecurityPayload)p),
        ComplianceViolation.Select(p => (SecurityPayload)p),
        Auth.Select(p => (SecurityPayload)p),
        Privacy.Select(p => (SecurityPayload)p));

    /// <summary>Any cost payload.</summary>
    public static Gen<CostPayload> AnyCost { get; } = Gen.OneOf(
        TokenCost.Select(p => (CostPayload)p),
        ApiCost.Select(p => (CostPayload)p),
        ResourceConsumption.Select(p => (CostPayload)p),
        BudgetAlert.Select(p => (CostPayload)p));

    /// <summary>Any governance payload.</summary>
    public static Gen<GovernancePayload> AnyGovernance { get; } = Gen.OneOf(
        PolicyViolation.Select(p => (GovernancePayload)p),
        AuditTrail.Select(p => (GovernancePayload)p),
        ComplianceCheck.Select(p => (GovernancePayload)p),
        DataLineage.Select(p => (GovernancePayload)p));

    /// <summary>Any payload of any module, each of the 19 variants about equally likely.</summary>
    public static Gen<EventPayload> AnyPayload { get; } = Gen.Frequency(
        (5, AnyTelemetry.Select(p => (EventPayload)p)),
        (5, AnySecurity.Select(p => (EventPayload)p)),
        (4, AnyCost.Select(p => (EventPayload)p)),
        (4, AnyGovernance.Select(p => (EventPayload)p)),
        (1, Custom.Select(p => (EventPayload)p)));

    /// <summary>Any event: any common fields with any payload (event_type is not matched to the payload).</summary>
    public static Gen<AnalyticsEvent> AnyEvent { get; } =
        from common in Common
        from payload in AnyPayload
        select new AnalyticsEvent { Common = common, Payload = payload };

    /// <summary>An event whose event_type is the one <see cref="AnalyticsEventFactory"/> infers from the payload.</summary>
    public static Gen<AnalyticsEvent> ConsistentEvent { get; } =
        from evt in AnyEvent
        from customType in Enum<EventType>()
        select evt with
        {
            Common = evt.Common with
            {
                EventType = evt.Payload is CustomPayload ? customType : AnalyticsEventFactory.DefaultEventType(evt.Payload),
            },
        };

    /// <summary>Any value of the enum <typeparamref name="T"/>.</summary>
    public static Gen<T> Enum<T>()
        where T : struct, Enum => Gen.Elements(System.Enum.GetValues<T>());

    /// <summary>A value of <paramref name="gen"/> or <see langword="null"/>.</summary>
    public static Gen<T?> Optional<T>(Gen<T> gen)
        where T : struct => Gen.Frequency((1, Gen.Constant<T?>(null)), (3, gen.Select(v => (T?)v)));

    /// <summary>A short list of values of <paramref name="gen"/>.</summary>
    public static Gen<IReadOnlyList<T>> ListOf<T>(Gen<T> gen) =>
        Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(gen, n)).Select(a => (IReadOnlyList<T>)a);

    /// <summary>A small map with distinct string keys.</summary>
    public static Gen<IReadOnlyDictionary<string, T>> MapOf<T>(Gen<T> values) =>
        from n in Gen.Choose(0, 4)
        from keys in Gen.ArrayOf(Text, n)
        from items in Gen.ArrayOf(values, n)
        select (IReadOnlyDictionary<string, T>)keys.Zip(items).DistinctBy(kv => kv.First, StringComparer.Ordinal)
            .ToDictionary(kv => kv.First, kv => kv.Second, StringComparer.Ordinal);

    private static Gen<JsonNodeSpec> JsonOfDepth(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Constant(new JsonNodeSpec(JsonValueKind.Null, null, null)),
            Gen.Elements(true, false).Select(b => new JsonNodeSpec(b ? JsonValueKind.True : JsonValueKind.False, null, null)),
            Text.Select(s => new JsonNodeSpec(JsonValueKind.String, s, null)),
            FiniteDouble.Select(d => new JsonNodeSpec(JsonValueKind.Number, d.ToString("R", System.Globalization.CultureInfo.InvariantCulture), null)),
            UInt64.Select(u => new JsonNodeSpec(JsonValueKind.Number, u.ToString(System.Globalization.CultureInfo.InvariantCulture), null)),
            Gen.Choose(int.MinValue, -1).Select(i => new JsonNodeSpec(JsonValueKind.Number, i.ToString(System.Globalization.CultureInfo.InvariantCulture), null)));
        if (depth <= 0)
        {
            return leaf;
        }

        var child = JsonOfDepth(depth - 1);
        var array = ListOf(child).Select(items => new JsonNodeSpec(JsonValueKind.Array, null, items.Select(i => (string.Empty, i)).ToArray()));
        var obj = MapOf(child).Select(map => new JsonNodeSpec(JsonValueKind.Object, null, map.Select(kv => (kv.Key, kv.Value)).ToArray()));
        return Gen.Frequency((3, leaf), (1, array), (2, obj));
    }

    private static JsonElement ToElement(JsonNodeSpec spec)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            spec.WriteTo(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static Guid CreateGuid(ulong high, ulong low)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, high);
        BitConverter.TryWriteBytes(bytes[8..], low);
        return new Guid(bytes);
    }

    /// <summary>A JSON value to be written: kind, text (strings, raw numbers) and children.</summary>
    private sealed record JsonNodeSpec(JsonValueKind Kind, string? Text, (string Key, JsonNodeSpec Value)[]? Children)
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            switch (Kind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var (key, value) in Children!)
                    {
                        writer.WritePropertyName(key);
                        value.WriteTo(writer);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var (_, value) in Children!)
                    {
                        value.WriteTo(writer);
                    }

                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String:
                    writer.WriteStringValue(Text);
                    break;
                case JsonValueKind.Number:
                    writer.WriteRawValue(Text!);
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    writer.WriteBooleanValue(Kind == JsonValueKind.True);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }
    }
}
