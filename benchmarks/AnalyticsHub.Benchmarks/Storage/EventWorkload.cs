using AnalyticsHub.Events;

namespace AnalyticsHub.Benchmarks.Storage;

/// <summary>
/// Seeded synthetic events over 7 days for the event-store benchmarks: module, type and severity mixes of
/// LLM traffic, timestamps mostly in order with a few seconds of jitter, a third correlated. Payloads and
/// tag maps are shared between events (the store never looks inside them), so 10 M events fit in memory.
/// </summary>
internal static class EventWorkload
{
    public static readonly DateTimeOffset End = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Span = TimeSpan.FromDays(7);

    private static readonly SourceModule[] Modules = BuildModules();
    private static readonly Severity[] Severities = BuildSeverities();

    public static AnalyticsEvent[] Generate(int count, int seed = 42)
    {
        var random = new Random(seed);
        var payloads = new EventPayload[]
        {
            new LatencyMetrics { ModelId = "gpt-4o", RequestId = "r", TotalLatencyMs = 200, Breakdown = new LatencyBreakdown { QueueTimeMs = 1, ProcessingTimeMs = 190, NetworkTimeMs = 8, OtherMs = 1 } },
            new TokenUsageMetrics { ModelId = "gpt-4o", RequestId = "r", PromptTokens = 100, CompletionTokens = 50, TotalTokens = 150 },
            new ThreatEvent
            {
                ThreatId = "t", ThreatType = ThreatType.PromptInjection, ThreatLevel = ThreatLevel.High, TargetResource = "chat",
                AttackVector = "prompt", MitigationStatus = MitigationStatus.Blocked, IndicatorsOfCompromise = ["x"],
            },
            new TokenCostEvent
            {
                ModelId = "gpt-4o", RequestId = "r", PromptTokens = 100, CompletionTokens = 50, TotalTokens = 150,
                CostPerPromptToken = 1e-6, CostPerCompletionToken = 2e-6, TotalCostUsd = 2e-4, Currency = "USD",
            },
            new AuditTrailEvent { Action = "deploy", Actor = "ci", ResourceType = "model", ResourceId = "m", Changes = new Dictionary<string, System.Text.Json.JsonElement>() },
        };
        var tags = new IReadOnlyDictionary<string, string>[20];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new Dictionary<string, string> { ["model_id"] = $"model-{i}", ["region"] = $"region-{i % 10}" };
        }

        var environments = new[] { "production", "staging", "development" };
        var correlations = new Guid[1 << 16];
        for (var i = 0; i < correlations.Length; i++)
        {
            correlations[i] = Guid.CreateVersion7();
        }

        var start = End - Span;
        var step = Span.Ticks / count;
        var events = new AnalyticsEvent[count];
        for (var i = 0; i < count; i++)
        {
            var module = Modules[random.Next(Modules.Length)];
            var (payload, type) = module switch
            {
                SourceModule.LlmObservatory => random.Next(10) == 0 ? (payloads[1], EventType.Alert) : (payloads[random.Next(2)], EventType.Telemetry),
                SourceModule.LlmSentinel => (payloads[2], EventType.Security),
                SourceModule.LlmCostOps => (payloads[3], EventType.Cost),
                _ => (payloads[4], EventType.Governance),
            };
            events[i] = new AnalyticsEvent
            {
                Common = new CommonEventFields
                {
                    EventId = Guid.CreateVersion7(),
                    Timestamp = new DateTimeOffset(start.UtcTicks + (i * step) + random.NextInt64(-20_000_000, 20_000_000), TimeSpan.Zero),
                    SourceModule = module,
                    EventType = type,
                    Severity = Severities[random.Next(Severities.Length)],
                    Environment = environments[random.Next(3)],
                    Tags = tags[random.Next(tags.Length)],
                    CorrelationId = random.Next(3) == 0 ? correlations[random.Next(correlations.Length)] : null,
                },
                Payload = payload,
            };
        }

        return events;
    }

    private static SourceModule[] BuildModules()
    {
        // Percent shares: observatory 60, cost-ops 15, sentinel 10, governance 5, registry 4, policy 4, hub 2.
        var list = new List<SourceModule>();
        list.AddRange(Enumerable.Repeat(SourceModule.LlmObservatory, 60));
        list.AddRange(Enumerable.Repeat(SourceModule.LlmCostOps, 15));
        list.AddRange(Enumerable.Repeat(SourceModule.LlmSentinel, 10));
        list.AddRange(Enumerable.Repeat(SourceModule.LlmGovernanceDashboard, 5));
        list.AddRange(Enumerable.Repeat(SourceModule.LlmRegistry, 4));
        list.AddRange(Enumerable.Repeat(SourceModule.LlmPolicyEngine, 4));
        list.AddRange(Enumerable.Repeat(SourceModule.LlmAnalyticsHub, 2));
        return [.. list];
    }

    private static Severity[] BuildSeverities()
    {
        // Percent shares: debug 5, info 75, warning 12, error 6, critical 2.
        var list = new List<Severity>();
        list.AddRange(Enumerable.Repeat(Severity.Debug, 5));
        list.AddRange(Enumerable.Repeat(Severity.Info, 75));
        list.AddRange(Enumerable.Repeat(Severity.Warning, 12));
        list.AddRange(Enumerable.Repeat(Severity.Error, 6));
        list.AddRange(Enumerable.Repeat(Severity.Critical, 2));
        return [.. list];
    }
}
