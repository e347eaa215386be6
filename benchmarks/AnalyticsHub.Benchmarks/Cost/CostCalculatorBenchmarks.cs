using AnalyticsHub.Cost;
using AnalyticsHub.Events;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.Cost;

/// <summary>
/// Pricing throughput of the <c>cost</c> stage's calculator on 1,024 token-usage events over the shipped
/// table (aliases, dated ids, a long-context tier, cached and reasoning tokens), per event
/// (OperationsPerInvoke = 1,024). No published peer: the baseline is the obvious floor, a dictionary of
/// two double rates per model id with no aliases, dates, tiers or cache rates.
/// </summary>
[MemoryDiagnoser]
public class CostCalculatorBenchmarks
{
    private const int Events = 1_024;

    private static readonly string[] Models =
    [
        "gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "claude-sonnet-4-5", "gemini-1.5-pro", "o3-2025-04-16",
        "gemini-2.5-flash", "mistral-large-latest", "llama-3.1-70b", "gpt-4o-2024-08-06",
    ];

    private readonly CostCalculator _calculator = new(PriceTable.Default);
    private readonly List<AnalyticsEvent> _alerts = [];
    private AnalyticsEvent[] _usage = null!;
    private TokenUsageMetrics[] _payloads = null!;
    private AnalyticsEvent[] _costs = null!;
    private Dictionary<string, (double Input, double Output)> _naive = null!;
    private BudgetTracker _tracker = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        var at = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["tenant"] = "t-07", ["team"] = "search", ["region"] = "eu-west-1" };
        _usage = new AnalyticsEvent[Events];
        _payloads = new TokenUsageMetrics[Events];
        for (var i = 0; i < Events; i++)
        {
            var model = Models[i % Models.Length];
            var prompt = (uint)(i % 97 == 0 ? 150_000 + rng.Next(100_000) : 200 + rng.Next(6_000));
            var completion = (uint)(50 + rng.Next(1_500));
            var cached = i % 3 == 0 ? prompt / 2 : 0;
            _payloads[i] = new TokenUsageMetrics
            {
                ModelId = model, RequestId = "req-" + i, PromptTokens = prompt, CompletionTokens = completion, TotalTokens = prompt + completion,
                CachedInputTokens = cached > 0 ? cached : null, ReasoningTokens = model.StartsWith('o') ? completion / 2 : null,
            };
            _usage[i] = new AnalyticsEvent
            {
                Common = new CommonEventFields
                {
                    EventId = Guid.NewGuid(), Timestamp = at.AddSeconds(i), SourceModule = SourceModule.LlmObservatory, EventType = EventType.Telemetry,
                    Severity = Severity.Info, Environment = "production", Tags = tags, CorrelationId = Guid.NewGuid(),
                },
                Payload = _payloads[i],
            };
        }

        _naive = PriceTable.Default.Models.GroupBy(m => m.ModelId).ToDictionary(
            g => g.Key,
            g => ((double)g.Last().Prices.Input, (double)g.Last().Prices.Output),
            StringComparer.Ordinal);
        foreach (var alias in Models.Where(m => !_naive.ContainsKey(m)))
        {
            _naive[alias] = _naive[PriceTable.Default.ResolveModelId(alias)!];
        }

        _costs = [.. _usage.Select(u => _calculator.TryPrice(u, out var cost) ? cost : throw new InvalidOperationException(u.ToString()))];
        _tracker = new BudgetTracker(
        [
            new BudgetDefinition { Id = "all", LimitUsd = 1e12, Period = BudgetPeriod.Month },
            new BudgetDefinition { Id = "tenant", LimitUsd = 1e12, Period = BudgetPeriod.Day, Tenant = "t-07", TimeZone = "UTC" },
            new BudgetDefinition { Id = "model", LimitUsd = 1e12, Period = BudgetPeriod.Week, Model = "gpt-4o" },
        ], priceTable: PriceTable.Default);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public double NaiveDoubleRates()
    {
        var total = 0.0;
        foreach (var usage in _payloads)
        {
            var (input, output) = _naive[usage.ModelId];
            total += ((usage.PromptTokens * input) + (usage.CompletionTokens * output)) / 1e6;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public decimal Quote()
    {
        var total = 0m;
        for (var i = 0; i < _payloads.Length; i++)
        {
            total += _calculator.Quote(_payloads[i], _usage[i].Timestamp)!.Value.TotalUsd;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public int TryPriceToTokenCostEvent()
    {
        var priced = 0;
        foreach (var usage in _usage)
        {
            priced += _calculator.TryPrice(usage, out _) ? 1 : 0;
        }

        return priced;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public double TrackThreeBudgets()
    {
        var total = 0.0;
        foreach (var cost in _costs)
        {
            _alerts.Clear();
            total += _tracker.Track(cost, _alerts);
        }

        return total;
    }
}
