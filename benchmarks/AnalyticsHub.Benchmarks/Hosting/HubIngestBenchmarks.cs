using AnalyticsHub.Evaluation.Hosting;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage.InMemory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Benchmarks.Hosting;

/// <summary>
/// End-to-end ingest of the pinned mix through the hub with every stage that exists, against the
/// same events appended to the in-memory event store alone. Reported per event.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class HubIngestBenchmarks
{
    private const int Events = 200_000; // PERFORMANCE.md asks for 2 M; 200 k keeps a run within minutes on the shared machine
    private const int Batch = 1_000;

    private AnalyticsEvent[] _events = [];
    private ServiceProvider? _provider;
    private IAnalyticsHub? _hub;
    private InMemoryEventStore? _store;

    [GlobalSetup]
    public void Setup() => _events = PinnedMixWorkload.Create(Events, DateTimeOffset.UtcNow);

    [IterationSetup(Target = nameof(EventStoreAlone))]
    public void SetupStore() => _store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = Events * 2 });

    [IterationSetup(Target = nameof(Hub))]
    public void SetupHub() => BuildHub(disabledStages: null);

    [IterationSetup(Target = nameof(HubWithoutTimeSeries))]
    public void SetupHubWithoutTimeSeries() => BuildHub(disabledStages: ["time_series"]);

    private void BuildHub(string[]? disabledStages)
    {
        var services = new ServiceCollection();
        services.AddSingleton<AnalyticsHub.Storage.IEventStore>(new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = Events * 2 }));
        services.AddAnalyticsHub(o => o.DisabledStages = disabledStages);
        _provider = services.BuildServiceProvider();
        _hub = _provider.GetRequiredService<IAnalyticsHub>();
        _hub.StartAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _provider?.DisposeAsync().AsTask().GetAwaiter().GetResult(); // drains the hub (a synchronous Dispose would not)
        _provider = null;
        _store?.Dispose();
        _store = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task EventStoreAlone()
    {
        for (var start = 0; start < Events; start += Batch)
        {
            await _store!.AppendAsync(new ArraySegment<AnalyticsEvent>(_events, start, Batch));
        }
    }

    /// <summary>Every stage: validation, redaction, event store, time-series store.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task Hub() => await IngestAllAsync();

    /// <summary>The per-stage cost: the same without the time-series stage.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task HubWithoutTimeSeries() => await IngestAllAsync();

    private async Task IngestAllAsync()
    {
        for (var start = 0; start < Events; start += Batch)
        {
            await _hub!.IngestAsync(new ArraySegment<AnalyticsEvent>(_events, start, Batch));
        }

        await _hub!.FlushAsync();
    }
}
