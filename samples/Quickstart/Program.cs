using System.Text;
using System.Text.Json;
using AnalyticsHub.Events;

// AnalyticsHub quickstart: build events of every module, write them in the producers' wire format,
// read them back, and see what happens to input that is not right.

var clock = TimeProvider.System;
var tags = new Dictionary<string, string> { ["tenant"] = "acme", ["team"] = "search" };

var observatory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", clock) { DefaultTags = tags };
var sentinel = new AnalyticsEventFactory(SourceModule.LlmSentinel, "production", clock) { DefaultTags = tags };
var costOps = new AnalyticsEventFactory(SourceModule.LlmCostOps, "production", clock) { DefaultTags = tags };
var governance = new AnalyticsEventFactory(SourceModule.LlmGovernanceDashboard, "production", clock) { DefaultTags = tags };

AnalyticsEvent[] events =
[
    observatory.Create(new LatencyMetrics
    {
        ModelId = "gpt-4o",
        RequestId = "req-1",
        TotalLatencyMs = 812.4,
        TtftMs = 143.2,
        Breakdown = new LatencyBreakdown { QueueTimeMs = 3.1, ProcessingTimeMs = 771.9, NetworkTimeMs = 35.2, OtherMs = 2.2 },
    }),
    observatory.Create(new TokenUsageMetrics
    {
        ModelId = "gpt-4o", RequestId = "req-1", PromptTokens = 1200, CompletionTokens = 300, TotalTokens = 1500,
        CachedInputTokens = 1024, ReasoningTokens = 120,
    }),
    sentinel.Create(
        new ThreatEvent
        {
            ThreatId = "thr-7", ThreatType = ThreatType.PromptInjection, ThreatLevel = ThreatLevel.High,
            SourceIp = "203.0.113.9", TargetResource = "chat-assist", AttackVector = "user prompt",
            MitigationStatus = MitigationStatus.Blocked, IndicatorsOfCompromise = ["ignore all previous instructions"],
        },
        Severity.Warning),
    costOps.Create(new TokenCostEvent
    {
        ModelId = "gpt-4o", RequestId = "req-1", PromptTokens = 1200, CompletionTokens = 300, TotalTokens = 1500,
        CostPerPromptToken = 2.5e-6, CostPerCompletionToken = 1e-5, TotalCostUsd = 0.00525, Currency = "USD",
    }),
    governance.Create(
        new PolicyViolationEvent
        {
            PolicyId = "pol-pii", PolicyName = "No PII in prompts", ViolationDescription = "email address in prompt",
            ViolatedRules = ["pii.email"], ResourceId = "chat-assist", Severity = PolicyViolationSeverity.Medium, AutoRemediated = true,
        },
        Severity.Warning),
];

Console.WriteLine("== Events in the wire format ==");
foreach (var evt in events)
{
    var json = AnalyticsEventJson.Serialize(evt);
    var back = AnalyticsEventJson.Read(json);
    var roundTrip = back.Event is { } read && AnalyticsEventJson.Serialize(read) == json ? "round-trips" : "DOES NOT ROUND-TRIP";
    Console.WriteLine($"{evt.SourceModule,-24} {evt.Payload.Subtype,-18} {json.Length,4} bytes, {roundTrip}");
}

Console.WriteLine();
Console.WriteLine(AnalyticsEventJson.Serialize(events[0], indented: true));

Console.WriteLine();
Console.WriteLine("== A batch with problems (NDJSON) ==");
var batch = string.Join('\n',
    AnalyticsEventJson.Serialize(events[0]),
    """{"timestamp":"2026-01-15T10:30:00","source_module":"llm-observatory","event_type":"telemetry","severity":"urgent","environment":"prod","payload":{"payload_type":"telemetry","data":{"telemetry_type":"latency","model_id":"gpt-4o","request_id":"r2","total_latency_ms":-3}}}""",
    """{"event_id": not-json}""",
    AnalyticsEventJson.Serialize(events[1] with { Payload = ((TokenUsageMetrics)events[1].Payload) with { TotalTokens = 1499 } }));

var reader = new EventBatchReader(new EventValidator(timeProvider: clock));
foreach (var item in reader.ReadBatch(Encoding.UTF8.GetBytes(batch)))
{
    Console.WriteLine($"line {item.LineNumber}: {(item.IsAccepted ? "accepted" : "rejected")}");
    foreach (var problem in item.Problems)
    {
        Console.WriteLine($"    {problem}");
    }
}

Console.WriteLine();
Console.WriteLine("== Problems as JSON, for an API ==");
var rejected = reader.ReadEvent("{\"severity\": 3}"u8);
Console.WriteLine(JsonSerializer.Serialize(rejected.Problems, AnalyticsHubJsonContext.Wire.IReadOnlyListEventProblem));
