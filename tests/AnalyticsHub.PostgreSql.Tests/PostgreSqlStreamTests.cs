using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Storage;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>Live subscriptions across hosts: commit-ordered sequences, resumption, a dropped listen connection.</summary>
public sealed class PostgreSqlStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Subscribe_TwoConcurrentAppendersAndAResumingReader_SeesEveryEventOnceInContiguousSequence()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var writerA = await fixture.CreateAsync();
        var writerB = await fixture.CreateAsync();
        var reader = await fixture.CreateAsync();
        var batches = Enumerable.Range(0, 40).Select(i => RandomEvents.Events(new Random(100 + i), 25)).ToList();

        var subscription = reader.Subscribe(new EventQuery());
        var appending = Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 40; i += 2) { await writerA.AppendAsync(batches[i]); } }),
            Task.Run(async () => { for (var i = 1; i < 40; i += 2) { await writerB.AppendAsync(batches[i]); } }));

        // Read part of the stream, drop the subscription (a client disconnecting), resume after the last sequence seen.
        var frames = new List<StreamEvent<AnalyticsEvent>>();
        await using (var first = subscription.GetAsyncEnumerator())
        {
            while (frames.Count < 300 && await first.MoveNextAsync().AsTask().WaitAsync(Wait))
            {
                frames.Add(first.Current);
            }
        }

        await using var resumed = reader.Subscribe(new EventQuery(), frames[^1].Sequence);
        await using (var second = resumed.GetAsyncEnumerator())
        {
            while (frames.Count < 1000 && await second.MoveNextAsync().AsTask().WaitAsync(Wait))
            {
                frames.Add(second.Current);
            }
        }

        await appending;
        Assert.All(frames, f => Assert.Equal(StreamEventType.Data, f.EventType));
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (ulong)i), frames.Select(f => f.Sequence));
        Assert.Equal(batches.SelectMany(b => b).Select(e => e.EventId).Order(), frames.Select(f => f.Data!.EventId).Order());

        // Each writer's own batches arrive in the order it appended them.
        var position = frames.Select((f, i) => (f.Data!.EventId, i)).ToDictionary(x => x.EventId, x => x.i);
        for (var i = 2; i < 40; i++)
        {
            Assert.True(position[batches[i - 2][0].EventId] < position[batches[i][0].EventId]);
        }
    }

    [Fact]
    public async Task Subscribe_ListenConnectionKilled_ReconnectsAndDeliversWhatWasCommittedMeanwhile()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var writer = await fixture.CreateAsync();
        var reader = await fixture.CreateAsync();
        await using var subscription = reader.Subscribe(new EventQuery { MinSeverity = Severity.Warning });
        await using var frames = subscription.GetAsyncEnumerator();
        var before = RandomEvents.Events(new Random(1), 30);
        await writer.AppendAsync(before);
        var expected = before.Where(e => e.Severity >= Severity.Warning).Select(e => e.EventId).ToList();
        var seen = new List<Guid>();
        while (seen.Count < expected.Count && await frames.MoveNextAsync().AsTask().WaitAsync(Wait))
        {
            seen.Add(frames.Current.Data!.EventId);
        }

        var listener = await ListenerAsync(reader, except: 0);
        var killed = await TestDatabase.ScalarAsync<bool>($"SELECT pg_terminate_backend({listener})");
        var during = RandomEvents.Events(new Random(2), 30);
        await writer.AppendAsync(during);
        expected.AddRange(during.Where(e => e.Severity >= Severity.Warning).Select(e => e.EventId));
        while (seen.Count < expected.Count && await frames.MoveNextAsync().AsTask().WaitAsync(Wait))
        {
            seen.Add(frames.Current.Data!.EventId);
        }

        Assert.True(killed);
        Assert.NotEqual(listener, await ListenerAsync(reader, except: listener));
        Assert.Equal(expected, seen);
    }

    private static async Task<int> ListenerAsync(PostgreSqlEventStore store, int except)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (store.ListenerProcessId is var id && (id == 0 || id == except))
        {
            await Task.Delay(20, timeout.Token);
        }

        return store.ListenerProcessId;
    }

    [Fact]
    public async Task Subscribe_EventsEvictedBeforeTheReaderCaughtUp_GetsAGapFrameNamingThem()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var store = await fixture.CreateAsync(o => o.MaxEvents = 10);
        var result = await store.AppendAsync(RandomEvents.Events(new Random(3), 25));

        await using var subscription = store.Subscribe(new EventQuery(), result.FirstSequence - 1);
        await using var frames = subscription.GetAsyncEnumerator();

        Assert.True(await frames.MoveNextAsync().AsTask().WaitAsync(Wait));
        var gap = frames.Current;
        Assert.Equal(StreamEventType.Error, gap.EventType);
        Assert.Equal(ProblemCodes.StreamGap, gap.Error!.Code);
        Assert.Equal(result.FirstSequence, gap.Error.Details!.Context!["missed_from_sequence"].GetUInt64());
        Assert.Equal(result.LastSequence - 10, gap.Error.Details.Context["missed_to_sequence"].GetUInt64());
        Assert.True(await frames.MoveNextAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(result.LastSequence - 9, frames.Current.Sequence);
    }

    [Fact]
    public async Task Dispose_LiveSubscription_EndsWithCompleteFrame()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var store = await fixture.CreateAsync();
        var subscription = store.Subscribe(new EventQuery());
        await using var frames = subscription.GetAsyncEnumerator();
        var next = frames.MoveNextAsync();

        await store.DisposeAsync();

        Assert.True(await next.AsTask().WaitAsync(Wait));
        Assert.Equal(StreamEventType.Complete, frames.Current.EventType);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync(RandomEvents.Events(new Random(4), 1)));
    }
}
