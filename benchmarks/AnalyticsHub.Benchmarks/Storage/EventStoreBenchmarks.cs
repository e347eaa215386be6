using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.Storage;

/// <summary>
/// The seed's Event Query (one module, one type, last hour, severity &gt;= warning, newest first, limit 100)
/// on a store of 10 M events over 7 days: the indexed first page (with its exact total) against a LINQ scan
/// of the same events (top 100 only, no total).
/// </summary>
[MemoryDiagnoser]
public class EventStoreBenchmarks
{
    private AnalyticsEvent[] _events = [];
    private InMemoryEventStore _store = null!;
    private EventQuery _query = null!;
    private DateTimeOffset _from;

    [Params(10_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = EventWorkload.Generate(Events);
        _store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = Events, MaxAge = null });
        for (var i = 0; i < _events.Length; i += 10_000)
        {
            _store.AppendAsync(new ArraySegment<AnalyticsEvent>(_events, i, Math.Min(10_000, _events.Length - i))).AsTask().GetAwaiter().GetResult();
        }

        _from = EventWorkload.End.AddHours(-1);
        _query = new EventQuery
        {
            SourceModules = [SourceModule.LlmObservatory],
            EventTypes = [EventType.Telemetry],
            From = _from,
            MinSeverity = Severity.Warning,
            Order = SortOrder.Desc,
            PerPage = 100,
        };

        var page = SeedQueryFirstPage();
        var linq = LinqScan();
        if (page.Events.Count != 100 || !page.Events.Select(e => e.EventId).SequenceEqual(linq.Select(e => e.EventId)))
        {
            throw new InvalidOperationException("The store and the scan disagree.");
        }

        Console.WriteLine($"// total {page.TotalItems}, records_scanned {page.Metrics.RecordsScanned}, {_store.GetStatistics()}");
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true)]
    public List<AnalyticsEvent> LinqScan() => _events
        .Where(e => e.SourceModule == SourceModule.LlmObservatory && e.EventType == EventType.Telemetry && e.Timestamp >= _from && e.Severity >= Severity.Warning)
        .OrderByDescending(e => e.Timestamp)
        .Take(100)
        .ToList();

    [Benchmark]
    public EventPage SeedQueryFirstPage() => _store.QueryAsync(_query).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public ulong SeedQueryCount() => _store.CountAsync(_query).AsTask().GetAwaiter().GetResult();
}
