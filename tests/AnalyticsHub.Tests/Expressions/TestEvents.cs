using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Expressions;

/// <summary>Small hand-built events for the expression tests.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset Time = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public static AnalyticsEvent Create(
        EventPayload payload,
        Severity severity = Severity.Info,
        SourceModule module = SourceModule.LlmCostOps,
        IReadOnlyDictionary<string, string>? tags = null,
        string environment = "production") => new()
        {
            Common = new CommonEventFields
            {
                EventId = Guid.Empty,
                Timestamp = Time,
                SourceModule = module,
                EventType = payload is CustomPayload ? EventType.Alert : AnalyticsEventFactory.DefaultEventType(payload),
                Severity = severity,
                Environment = environment,
                Tags = tags ?? new Dictionary<string, string>(),
            },
            Payload = payload,
        };

    public static TokenCostEvent TokenCost(double totalCostUsd = 0.75) => new()
    {
        ModelId = "gpt-4o",
        RequestId = "r1",
        PromptTokens = 1000,
        CompletionTokens = 500,
        TotalTokens = 1500,
        CostPerPromptToken = 0.0000025,
        CostPerCompletionToken = 0.00001,
        TotalCostUsd = totalCostUsd,
        Currency = "USD",
    };

    public static LatencyMetrics Latency(double totalMs = 812.5, double? ttft = null) => new()
    {
        ModelId = "gpt-4o",
        RequestId = "r2",
        TotalLatencyMs = totalMs,
        TtftMs = ttft,
    };

    public static ThreatEvent Threat(ThreatLevel level) => new()
    {
        ThreatId = "t1",
        ThreatType = ThreatType.PromptInjection,
        ThreatLevel = level,
        TargetResource = "chat",
        AttackVector = "prompt",
        MitigationStatus = MitigationStatus.Blocked,
    };

    public static PolicyViolationEvent PolicyViolation(PolicyViolationSeverity severity) => new()
    {
        PolicyId = "p1",
        PolicyName = "pii",
        ViolationDescription = "pii in prompt",
        ResourceId = "chat",
        Severity = severity,
        AutoRemediated = false,
    };

    /// <summary>A warning-level token-cost event from llm-cost-ops with tags team=ml, region=eu-west-1 and a cost of 0.75 USD.</summary>
    public static AnalyticsEvent CostEvent(double totalCostUsd = 0.75, Severity severity = Severity.Warning) =>
        Create(TokenCost(totalCostUsd), severity, tags: new Dictionary<string, string> { ["team"] = "ml", ["region"] = "eu-west-1", ["cost-center"] = "42" });
}
