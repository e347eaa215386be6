using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;

namespace AnalyticsHub.Tests.Storage;

/// <summary>The contract suite on the in-memory backend (small blocks, so block boundaries are crossed), plus what only it has.</summary>
public sealed class InMemoryEventStoreContractTests : EventStoreContractTests
{
    protected override IEventStore CreateStore(EventStoreTestSettings settings) => new InMemoryEventStore(
        new InMemoryEventStoreOptions
        {
            MaxEvents = settings.MaxEvents,
            MaxAge = settings.MaxAge,
            BlockSize = 16,
            ReplayLimit = settings.ReplayLimit,
            SubscriberBufferSize = settings.SubscriberBufferSize,
            HeartbeatInterval = settings.HeartbeatInterval,
        },
        settings.TimeProvider);

    /// <summary>
    /// The append prefetches the id table's slot of the event some places ahead (<see cref="AnalyticsHub.Pipeline.CacheHint"/>):
    /// a batch whose ids repeat nearer and farther apart than that distance, and repeat ids stored before, gets the
    /// statuses and sequences of appending its events one by one.
    /// </summary>
    [Fact]
    public async Task AppendAsync_BatchWithRepeatsAroundThePrefetchDistance_SameAsOneByOne()
    {
        var earlier = RandomEvents.Events(new Random(40), 30);
        var batch = RandomEvents.Events(new Random(41), 60);
        var distance = AnalyticsHub.Pipeline.CacheHint.Distance;
        batch[3] = batch[1];                    // nearer than the distance
        batch[1 + distance] = batch[1];         // exactly the distance
        batch[12 + distance + 1] = batch[12];   // just past it
        batch[50] = batch[12];                  // far past it
        batch[5] = earlier[7];                  // stored before
        batch[^1] = earlier[^1];

        var whole = new InMemoryEventStore(new InMemoryEventStoreOptions { BlockSize = 16 }, Clock);
        await whole.AppendAsync(earlier);
        var result = await whole.AppendAsync(batch);

        var single = new InMemoryEventStore(new InMemoryEventStoreOptions { BlockSize = 16 }, Clock);
        await single.AppendAsync(earlier);
        var statuses = new List<AppendItemStatus>();
        foreach (var evt in batch)
        {
            statuses.Add((await single.AppendAsync([evt]))[0]);
        }

        Assert.Equal(statuses, Enumerable.Range(0, batch.Count).Select(i => result[i]));
        Assert.Equal(6, result.Duplicates);
        Assert.Equal(single.GetStatistics().LastSequence, whole.GetStatistics().LastSequence);
        foreach (var evt in batch)
        {
            Assert.Equal((await single.GetAsync(evt.EventId))?.EventId, (await whole.GetAsync(evt.EventId))?.EventId);
        }
    }

    [Fact]
    public async Task GetStatistics_AfterEvictions_CountsThemByCause()
    {
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = 50, MaxAge = TimeSpan.FromMinutes(10), BlockSize = 16 }, Clock);
        await store.AppendAsync(RandomEvents.Events(new Random(1), 80));
        Clock.Advance(TimeSpan.FromMinutes(11));
        await store.AppendAsync(RandomEvents.Events(new Random(2), 5));

        var statistics = store.GetStatistics();

        Assert.Equal(5, statistics.Count);
        Assert.Equal(85, statistics.Appended);
        Assert.Equal(30, statistics.EvictedByCount);
        Assert.Equal(50, statistics.EvictedByAge);
        Assert.Equal(85ul, statistics.LastSequence);
        Assert.InRange(statistics.Blocks, 1, 2);
    }

    [Fact]
    public async Task EvictExpired_SeveralAppendsInOneBlock_EvictsExactlyTheExpiredAppends()
    {
        // One block of 64 holds four appends a minute apart: its arrivals are four runs, and age eviction cuts inside it.
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxAge = TimeSpan.FromSeconds(150), BlockSize = 64 }, Clock);
        var appends = new List<List<AnalyticsEvent>>();
        for (var i = 0; i < 4; i++)
        {
            appends.Add(RandomEvents.Events(new Random(10 + i), 10));
            await store.AppendAsync(appends[i]);
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Now the first append is 4 minutes old, the second 3, the third 2: two appends are past 150 s.
        store.EvictExpired();

        var statistics = store.GetStatistics();
        Assert.Equal(20, statistics.EvictedByAge);
        Assert.Equal(20, statistics.Count);
        Assert.Null(await store.GetAsync(appends[1][9].EventId));
        Assert.NotNull(await store.GetAsync(appends[2][0].EventId));
        Clock.Advance(TimeSpan.FromSeconds(31));
        store.EvictExpired();
        Assert.Equal(30, store.GetStatistics().EvictedByAge);
        Assert.NotNull(await store.GetAsync(appends[3][0].EventId));
    }

    [Fact]
    public async Task GetCorrelatedAsync_ChainAcrossBlocksWithoutLinks_FollowsIt()
    {
        // Blocks of 16; the block between the two correlated events has no linked event, so it keeps no chain at all.
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { BlockSize = 16 }, Clock);
        var correlation = Guid.NewGuid();
        var first = RandomEvents.Event(new Random(20));
        first = first with { Common = first.Common with { CorrelationId = correlation, ParentEventId = null } };
        var plain = RandomEvents.Events(new Random(21), 40)
            .Select(e => e with { Common = e.Common with { CorrelationId = null, ParentEventId = null } })
            .ToList();
        var last = RandomEvents.Event(new Random(22));
        last = last with { Common = last.Common with { CorrelationId = correlation, ParentEventId = first.EventId } };

        await store.AppendAsync([first]);
        await store.AppendAsync(plain);
        await store.AppendAsync([last]);

        var chain = await store.GetCorrelatedAsync(correlation);
        Assert.Equal(new[] { first.EventId, last.EventId }.OrderBy(id => id), chain.Select(e => e.EventId).OrderBy(id => id));
        Assert.Equal([last.EventId], (await store.GetChildrenAsync(first.EventId)).Select(e => e.EventId));
        Assert.Empty(await store.GetCorrelatedAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Dispose_LiveSubscription_EndsWithCompleteFrame()
    {
        var store = new InMemoryEventStore(timeProvider: Clock);
        var subscription = store.Subscribe(new EventQuery());
        await using var frames = subscription.GetAsyncEnumerator();
        var next = frames.MoveNextAsync();

        store.Dispose();

        Assert.True(await next.AsTask().WaitAsync(Wait));
        Assert.Equal(StreamEventType.Complete, frames.Current.EventType);
        Assert.Null(frames.Current.Data);
        Assert.False(await frames.MoveNextAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync(RandomEvents.Events(new Random(3), 1)));
    }

    [Fact]
    public async Task Subscribe_CanceledOrDisposed_Unsubscribes()
    {
        var store = new InMemoryEventStore(timeProvider: Clock);
        var subscription = store.Subscribe(new EventQuery());
        Assert.Equal(1, store.GetStatistics().Subscribers);
        using var cts = new CancellationTokenSource();
        var frames = subscription.GetAsyncEnumerator(cts.Token);
        var next = frames.MoveNextAsync();

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next.AsTask().WaitAsync(Wait));
        await frames.DisposeAsync();

        Assert.Equal(0, store.GetStatistics().Subscribers);
    }

    [Fact]
    public async Task QueryAsync_FullyIndexedQuery_CountsWithoutScanning()
    {
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { BlockSize = 64 }, Clock);
        await store.AppendAsync(RandomEvents.Events(new Random(4), 5000));

        var page = await store.QueryAsync(new EventQuery { SourceModules = [SourceModule.LlmSentinel], MinSeverity = Severity.Error, PerPage = 10 });

        Assert.True(page.TotalItems > 100);
        Assert.Equal(11ul, page.Metrics.RecordsScanned);
    }

    [Fact]
    public async Task AppendAsync_OutOfOrderTimestamps_QueriesStillSorted()
    {
        var store = new InMemoryEventStore(new InMemoryEventStoreOptions { BlockSize = 16 }, Clock);
        var random = new Random(5);
        var events = Enumerable.Range(0, 500).Select(i => RandomEvents.Event(random, RandomEvents.Base.AddSeconds(random.Next(0, 100)))).ToList();
        await store.AppendAsync(events);

        var page = await store.QueryAsync(new EventQuery { PerPage = 1000, Order = SortOrder.Asc });

        var expected = RandomEvents.Baseline(events, new EventQuery { Order = SortOrder.Asc }, out _);
        Assert.Equal(expected.Select(e => e.EventId), page.Events.Select(e => e.EventId));
    }

    [Fact]
    public void Constructor_BlockSizeOutOfBounds_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryEventStore(new InMemoryEventStoreOptions { BlockSize = 70_000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = 0 }));
    }
}
