using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.Storage;

/// <summary>
/// Fan-out: 20,000 events appended (batches of 500) to a store with 100 live subscribers (each filtering one
/// module), until every subscriber has read its events; per appended event. Baseline: the same appends with
/// no subscribers.
/// </summary>
[MemoryDiagnoser]
public class EventStoreFanOutBenchmarks
{
    private const int Count = 20_000;
    private const int Batch = 500;
    private const int Subscribers = 100;
    private AnalyticsEvent[] _events = [];
    private int[] _expected = [];
    private InMemoryEventStore _store = null!;
    private Task[] _readers = [];

    [GlobalSetup]
    public void Setup()
    {
        _events = EventWorkload.Generate(Count, seed: 11);
        _expected = new int[7];
        foreach (var evt in _events)
        {
            _expected[(int)evt.SourceModule]++;
        }
    }

    [IterationSetup(Target = nameof(AppendWithoutSubscribers))]
    public void NewStore() => _store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxAge = null });

    [IterationSetup(Target = nameof(AppendToHundredSubscribers))]
    public void NewStoreWithSubscribers()
    {
        _store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxAge = null, SubscriberBufferSize = Count });
        _readers = new Task[Subscribers];
        for (var i = 0; i < Subscribers; i++)
        {
            var module = (SourceModule)(i % 7);
            var subscription = _store.Subscribe(new EventQuery { SourceModules = [module] });
            _readers[i] = Drain(subscription, _expected[(int)module]);
        }
    }

    [IterationCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public void AppendWithoutSubscribers() => AppendAll();

    [Benchmark(OperationsPerInvoke = Count)]
    public void AppendToHundredSubscribers()
    {
        AppendAll();
        Task.WaitAll(_readers);
    }

    private void AppendAll()
    {
        for (var i = 0; i < Count; i += Batch)
        {
            _store.AppendAsync(new ArraySegment<AnalyticsEvent>(_events, i, Batch)).AsTask().GetAwaiter().GetResult();
        }
    }

    private static async Task Drain(IEventSubscription subscription, int expected)
    {
        var seen = 0;
        await using var frames = subscription.GetAsyncEnumerator();
        while (seen < expected && await frames.MoveNextAsync().ConfigureAwait(false))
        {
            if (frames.Current.EventType != StreamEventType.Data)
            {
                throw new InvalidOperationException($"Unexpected {frames.Current.EventType} frame.");
            }

            seen++;
        }
    }
}
