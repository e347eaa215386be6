using AnalyticsHub.Cost;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Cost;

internal static class CostTestData
{
    public static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A small table with every feature: two price versions, aliases, a tier, a reasoning rate, two providers of one model.</summary>
    public const string TableJson = """
        {
          "schema_version": 1,
          "version": "test-1",
          "providers": [
            { "id": "acme", "source": "https://acme.example/pricing", "read_on": "2026-01-15",
              "models": [
                { "id": "acme-large", "aliases": ["acme-large-2025-12-01"], "effective_from": "2025-12-01",
                  "prices": { "input": 3, "output": 15, "cached_input": 0.30, "cache_write": 3.75 } },
                { "id": "acme-large", "effective_from": "2026-02-01",
                  "prices": { "input": 2, "output": 10, "cached_input": 0.20, "cache_write": 2.50 } },
                { "id": "acme-think", "effective_from": "2025-01-01",
                  "prices": { "input": 0.15, "output": 0.60, "reasoning": 3.50 } },
                { "id": "acme-long", "effective_from": "2025-01-01",
                  "prices": { "input": 1.25, "output": 5, "cached_input": 0.3125 },
                  "tiers": [ { "above_prompt_tokens": 128000, "prices": { "input": 2.50, "output": 10, "cached_input": 0.625 } } ] },
                { "id": "open-70b", "effective_from": "2025-01-01", "prices": { "input": 0.88, "output": 0.88 } }
              ] },
            { "id": "selfhost", "source": "internal chargeback", "read_on": "2026-01-01",
              "models": [ { "id": "open-70b", "effective_from": "2025-01-01", "prices": { "input": 0.60, "output": 0.80 } } ] }
          ]
        }
        """;

    public static PriceTable Table => PriceTable.Parse(TableJson);

    public static AnalyticsEvent Usage(
        string model,
        uint prompt,
        uint completion,
        DateTimeOffset at,
        uint? cached = null,
        uint? cacheWrite = null,
        uint? reasoning = null,
        string request = "r1",
        IReadOnlyDictionary<string, string>? tags = null) => new()
        {
            Common = new CommonEventFields
            {
                EventId = Guid.NewGuid(),
                Timestamp = at,
                SourceModule = SourceModule.LlmObservatory,
                EventType = EventType.Telemetry,
                CorrelationId = Guid.NewGuid(),
                Severity = Severity.Info,
                Environment = "production",
                Tags = tags ?? new Dictionary<string, string>(),
            },
            Payload = new TokenUsageMetrics
            {
                ModelId = model, RequestId = request, PromptTokens = prompt, CompletionTokens = completion, TotalTokens = prompt + completion,
                CachedInputTokens = cached, CacheCreationInputTokens = cacheWrite, ReasoningTokens = reasoning,
            },
        };

    public static AnalyticsEvent Cost(
        double usd,
        DateTimeOffset at,
        string request = "r1",
        bool fromHub = false,
        string model = "acme-large",
        uint prompt = 100,
        uint completion = 50,
        IReadOnlyDictionary<string, string>? tags = null,
        string environment = "production") => new()
        {
            Common = new CommonEventFields
            {
                EventId = Guid.NewGuid(),
                Timestamp = at,
                SourceModule = fromHub ? SourceModule.LlmAnalyticsHub : SourceModule.LlmCostOps,
                EventType = EventType.Cost,
                Severity = Severity.Info,
                Environment = environment,
                Tags = tags ?? new Dictionary<string, string>(),
            },
            Payload = new TokenCostEvent
            {
                ModelId = model, RequestId = request, PromptTokens = prompt, CompletionTokens = completion, TotalTokens = prompt + completion,
                CostPerPromptToken = 0, CostPerCompletionToken = 0, TotalCostUsd = usd, Currency = "USD",
            },
        };

    /// <summary>A zone with US-style daylight saving (UTC-5, UTC-4 from the second Sunday of March 02:00 to the first Sunday of November 02:00), built here so tests read no system files.</summary>
    public static TimeZoneInfo UsEastern { get; } = TimeZoneInfo.CreateCustomTimeZone(
        "Test/Eastern",
        TimeSpan.FromHours(-5),
        "Test Eastern",
        "Test Eastern Standard",
        "Test Eastern Daylight",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                new DateTime(2000, 1, 1),
                DateTime.MaxValue.Date,
                TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 2, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 11, 1, DayOfWeek.Sunday)),
        ]);
}
