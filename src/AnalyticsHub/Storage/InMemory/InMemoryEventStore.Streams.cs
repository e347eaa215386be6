using AnalyticsHub.Storage.Streams;

namespace AnalyticsHub.Storage.InMemory;

public sealed partial class InMemoryEventStore
{
    private BufferedEventSubscription[] _subscribers = [];

    /// <inheritdoc />
    /// <remarks>
    /// Data frames carry the event's sequence; heartbeats come every <see cref="InMemoryEventStoreOptions.HeartbeatInterval"/>
    /// of the store's clock. A resume replays at most the newest <see cref="InMemoryEventStoreOptions.ReplayLimit"/> sequences
    /// still held. Disposing the store ends every subscription with a <c>complete</c> frame.
    /// </remarks>
    public IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.ValidateFilter() is { Count: > 0 } problems)
        {
            throw new InvalidQueryException("The event filter is invalid.", problems);
        }

        BufferedEventSubscription subscription;
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var last = _nextSequence - 1;
            subscription = new BufferedEventSubscription(Unsubscribe, filter, _options.SubscriberBufferSize, _time, Math.Min(resumeAfterSequence ?? last, last));
            if (resumeAfterSequence is { } after && after < last)
            {
                ReplayLocked(subscription, after, last);
            }

            var grown = new BufferedEventSubscription[_subscribers.Length + 1];
            _subscribers.CopyTo(grown, 0);
            grown[^1] = subscription;
            _subscribers = grown;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        subscription.StartHeartbeats(_options.HeartbeatInterval);
        return subscription;
    }

    internal void Unsubscribe(BufferedEventSubscription subscription)
    {
        _lock.EnterWriteLock();
        try
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index < 0)
            {
                return;
            }

            var shrunk = new BufferedEventSubscription[_subscribers.Length - 1];
            Array.Copy(_subscribers, 0, shrunk, 0, index);
            Array.Copy(_subscribers, index + 1, shrunk, index, shrunk.Length - index);
            _subscribers = shrunk;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void ReplayLocked(BufferedEventSubscription subscription, ulong after, ulong last)
    {
        var from = after + 1;
        var limit = (ulong)_options.ReplayLimit;
        var oldest = Math.Max(_minLive, last >= limit ? last - limit + 1 : 1);
        if (from < oldest)
        {
            subscription.Unreplayable(from, oldest - 1);
            from = oldest;
        }

        for (var sequence = from; sequence <= last; sequence++)
        {
            Locate(sequence, out var block, out var position);
            var evt = block.Events[position]!;
            if (subscription.Matcher.Matches(evt))
            {
                subscription.Replay(sequence, evt, new DateTimeOffset(block.ArrivalAt(position), TimeSpan.Zero));
            }
        }
    }
}
