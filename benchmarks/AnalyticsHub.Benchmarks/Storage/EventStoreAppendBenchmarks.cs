using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.Storage;

/// <summary>
/// Appending 1 M events in batches of 1,000 into a fresh store (per event), against the naive idempotent
/// store: a <see cref="HashSet{T}"/> of ids plus a <see cref="List{T}"/>.
/// </summary>
[MemoryDiagnoser]
public class EventStoreAppendBenchmarks
{
    private const int Count = 1_000_000;
    private const int Batch = 1_000;
    private AnalyticsEvent[] _events = [];
    private ArraySegment<AnalyticsEvent>[] _batches = [];
    private InMemoryEventStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _events = EventWorkload.Generate(Count, seed: 7);
        _batches = new ArraySegment<AnalyticsEvent>[Count / Batch];
        for (var i = 0; i < _batches.Length; i++)
        {
            _batches[i] = new ArraySegment<AnalyticsEvent>(_events, i * Batch, Batch);
        }
    }

    // Both benchmarks get the same setup, so both run one invocation per iteration and compare.
    [IterationSetup]
    public void NewStore() => _store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = 2 * Count, MaxAge = null });

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public int ListAndHashSet()
    {
        var ids = new HashSet<Guid>();
        var list = new List<AnalyticsEvent>();
        foreach (var batch in _batches)
        {
            foreach (var evt in batch)
            {
                if (ids.Add(evt.EventId))
                {
                    list.Add(evt);
                }
            }
        }

        return list.Count;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int Append()
    {
        var appended = 0;
        foreach (var batch in _batches)
        {
            appended += _store.AppendAsync(batch).AsTask().GetAwaiter().GetResult().Appended;
        }

        return appended;
    }
}
