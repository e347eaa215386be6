using AnalyticsHub.Evaluation.Hosting;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Storage.InMemory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Benchmarks.Metrics;

/// <summary>
/// What composite metrics add per ingested event (PERFORMANCE.md: a 3-input composite on 2,000 series, at most
/// 0.2 us per event): the pinned mix through the hub with the metrics stage keeping region as a dimension (over 2,000
/// metric series), without composites (the baseline), with one 3-input composite evaluated per model, and with the
/// default cross-module metrics.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class CompositeMetricBenchmarks
{
    private const int Events = 200_000;
    private const int Batch = 1_000;

    private AnalyticsEvent[] _events = [];
    private ServiceProvider? _provider;
    private IAnalyticsHub? _hub;

    [GlobalSetup]
    public void Setup() => _events = PinnedMixWorkload.Create(Events, DateTimeOffset.UtcNow);

    [IterationSetup(Target = nameof(WithoutComposites))]
    public void SetupWithout() => BuildHub(o => o.Metrics.CrossModuleMetrics = false);

    [IterationSetup(Target = nameof(ThreeInputComposite))]
    public void SetupComposite() => BuildHub(o =>
    {
        o.Metrics.CrossModuleMetrics = false;
        o.Metrics.AddCompositeMetric(new CompositeMetricDefinition(
            "cost_per_good_request", "Cost per request without error.", "cost / (requests - coalesce(errors, 0))",
            [
                new() { Name = "cost", SourceModule = "llm-cost-ops", MetricName = "cost_token.cost_usd", Stat = StatType.Sum },
                new() { Name = "requests", SourceModule = "llm-observatory", MetricName = "llm_latency.latency_ms", Stat = StatType.Count },
                new() { Name = "errors", SourceModule = "llm-observatory", MetricName = "llm_error_rate.error_count", Stat = StatType.Sum },
            ],
            dimensions: ["model_id"]));
    });

    [IterationSetup(Target = nameof(CrossModuleMetrics))]
    public void SetupCrossModule() => BuildHub(_ => { });

    private void BuildHub(Action<AnalyticsHubOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<AnalyticsHub.Storage.IEventStore>(new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = Events * 2 }));
        services.AddAnalyticsHub(o =>
        {
            o.Metrics.Dimensions = ["source_module", "environment", "model_id", "region"];
            configure(o);
        });
        _provider = services.BuildServiceProvider();
        _hub = _provider.GetRequiredService<IAnalyticsHub>();
        _hub.StartAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _provider?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _provider = null;
    }

    /// <summary>The hub with no composite metric.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task WithoutComposites() => await IngestAllAsync();

    /// <summary>One 3-input composite per model on every closed window.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task ThreeInputComposite() => await IngestAllAsync();

    /// <summary>The five cross-module metrics and their inputs (the default).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task CrossModuleMetrics() => await IngestAllAsync();

    private async Task IngestAllAsync()
    {
        for (var start = 0; start < Events; start += Batch)
        {
            await _hub!.IngestAsync(new ArraySegment<AnalyticsEvent>(_events, start, Batch));
        }

        await _hub!.FlushAsync();
    }
}
