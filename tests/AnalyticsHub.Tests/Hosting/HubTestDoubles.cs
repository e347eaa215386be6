using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;

namespace AnalyticsHub.Tests.Hosting;

/// <summary>Events, stores and stages that misbehave the ways a host's own might, for the lifecycle and resilience tests.</summary>
internal static class HubTestDoubles
{
    public static AnalyticsEvent Latency(int i) => SampleEvents.Event(SampleEvents.Latency with { RequestId = "r" + i }) with
    {
        Common = SampleEvents.Event(SampleEvents.Latency).Common with { EventId = new Guid(i, 9, 9, 3, 4, 5, 6, 7, 8, 9, 10) },
    };

    /// <summary>An event store that keeps events in an in-memory store and lets a subclass decide how appends behave.</summary>
    public abstract class DelegatingEventStore : IEventStore, IDisposable
    {
        public InMemoryEventStore Inner { get; } = new();

        public ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, CancellationToken cancellationToken = default) =>
            AppendAsync(events, Guid.NewGuid(), cancellationToken);

        public abstract ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default);

        public ValueTask<AnalyticsEvent?> GetAsync(Guid eventId, CancellationToken cancellationToken = default) => Inner.GetAsync(eventId, cancellationToken);

        public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => Inner.QueryAsync(query, cancellationToken);

        public ValueTask<ulong> CountAsync(EventQuery query, CancellationToken cancellationToken = default) => Inner.CountAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<AnalyticsEvent>> GetCorrelatedAsync(Guid correlationId, CancellationToken cancellationToken = default) =>
            Inner.GetCorrelatedAsync(correlationId, cancellationToken);

        public ValueTask<IReadOnlyList<AnalyticsEvent>> GetChildrenAsync(Guid parentEventId, CancellationToken cancellationToken = default) =>
            Inner.GetChildrenAsync(parentEventId, cancellationToken);

        public IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null) => Inner.Subscribe(filter, resumeAfterSequence);

        public void Dispose()
        {
            Inner.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>An event store whose appends throw until <see cref="Heal"/>; counts the attempts.</summary>
    public sealed class FailingStore : DelegatingEventStore
    {
        private int _attempts;
        private volatile bool _healed;

        public int Attempts => Volatile.Read(ref _attempts);

        public void Heal() => _healed = true;

        public override ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _attempts);
            return _healed ? Inner.AppendAsync(events, writeId, cancellationToken) : throw new IOException("disk on fire");
        }
    }

    /// <summary>An event store whose appends ignore their token and wait until <see cref="Release"/>, then store.</summary>
    public sealed class HungStore : DelegatingEventStore
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _appends;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Appends => Volatile.Read(ref _appends);

        public void Release() => _release.TrySetResult();

        public override async ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _appends);
            Entered.TrySetResult();
            await _release.Task.ConfigureAwait(false);
            var result = await Inner.AppendAsync(events, writeId, CancellationToken.None).ConfigureAwait(false);
            Finished.TrySetResult();
            return result;
        }
    }

    /// <summary>A stage that ignores its token and never returns until <see cref="Release"/>.</summary>
    public sealed class HungStage : IIngestionStage
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "hung";

        public void Release() => _release.TrySetResult();

        public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await _release.Task.ConfigureAwait(false);
        }
    }

    /// <summary>A stage that throws on its first <c>failures</c> batches, then succeeds; counts its attempts.</summary>
    public sealed class FlakyStage(int failures) : IIngestionStage
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public string Name => "flaky";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _attempts) <= failures ? throw new InvalidOperationException("flaky stage failed") : ValueTask.CompletedTask;
    }

    /// <summary>
    /// An event store that commits every <paramref name="every"/>-th append and then throws, as if the acknowledgement
    /// were lost on the way back (the first such append is the first one).
    /// </summary>
    public sealed class LostAckStore(int every) : DelegatingEventStore
    {
        private int _appends;

        public int LostAcks { get; private set; }

        public override async ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
        {
            var result = await Inner.AppendAsync(events, writeId, cancellationToken).ConfigureAwait(false);
            if (Interlocked.Increment(ref _appends) % every == 1 % every)
            {
                LostAcks++;
                throw new IOException("connection reset after commit");
            }

            return result;
        }
    }

    /// <summary>An event store that refuses, permanently, any batch holding an event whose request id is in <paramref name="poison"/>; counts its calls.</summary>
    public sealed class PoisonStore(IReadOnlySet<string> poison) : DelegatingEventStore
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            foreach (var evt in events)
            {
                if (evt.Payload is LatencyMetrics latency && poison.Contains(latency.RequestId))
                {
                    throw new ArgumentException($"The store cannot take request {latency.RequestId}.", nameof(events));
                }
            }

            return Inner.AppendAsync(events, writeId, cancellationToken);
        }
    }

    /// <summary>A stage that counts how often it saw each event id.</summary>
    public sealed class CountingStage : IIngestionStage
    {
        public System.Collections.Concurrent.ConcurrentDictionary<Guid, int> Seen { get; } = new();

        public string Name => "counting";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            foreach (var evt in batch.Events)
            {
                Seen.AddOrUpdate(evt.EventId, 1, static (_, n) => n + 1);
            }

            return ValueTask.CompletedTask;
        }
    }
}
