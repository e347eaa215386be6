using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AnalyticsHub.Api;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage.Streams;

/// <summary>
/// One subscriber of an event store: a buffer the store's writer fills without waiting, a heartbeat timer, and the
/// reader that turns buffered frames into stream frames. Every backend's subscriptions share it, so gap, heartbeat and
/// replay frames look the same whatever the store.
/// </summary>
/// <remarks>
/// The buffer holds at most the given capacity of data frames (replayed
/// frames may exceed it, bounded by the replay limit). When it is full the writer drops the event and records a
/// gap; the gap is delivered in order, as soon as the buffer has room again or the reader has drained it.
/// Gap state is guarded by a small lock taken only while a gap is pending.
/// </remarks>
internal sealed class BufferedEventSubscription : IEventSubscription
{
    private readonly Action<BufferedEventSubscription> _unsubscribe;
    private readonly Channel<StreamFrame> _channel;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _gapLock = new();
    private ITimer? _timer;
    private int _buffered;
    private volatile bool _gapPending;
    private ulong _gapFrom;
    private ulong _gapTo;
    private long _gapCount;
    private int _heartbeatPending;
    private int _enumerated;
    private int _disposed;
    private ulong _lastDelivered;

    public BufferedEventSubscription(Action<BufferedEventSubscription> unsubscribe, EventQuery filter, int capacity, TimeProvider time, ulong startSequence)
    {
        _unsubscribe = unsubscribe;
        Filter = filter;
        Matcher = new EventMatcher(filter);
        _capacity = capacity;
        _time = time;
        _lastDelivered = startSequence;
        _channel = Channel.CreateUnbounded<StreamFrame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    }

    public EventQuery Filter { get; }

    public EventMatcher Matcher { get; }

    /// <summary>Hands a matching event to the buffer, or records it as missed; called by the store's writer.</summary>
    public void Offer(ulong sequence, AnalyticsEvent evt, DateTimeOffset arrival)
    {
        if (_gapPending)
        {
            lock (_gapLock)
            {
                if (_gapPending)
                {
                    if (Volatile.Read(ref _buffered) >= _capacity)
                    {
                        _gapTo = sequence;
                        _gapCount++;
                        return;
                    }

                    _channel.Writer.TryWrite(new StreamFrame(StreamFrameKind.Gap, 0, null, arrival, _gapFrom, _gapTo, _gapCount));
                    _gapPending = false;
                }
            }
        }

        if (Interlocked.Increment(ref _buffered) > _capacity)
        {
            Interlocked.Decrement(ref _buffered);
            lock (_gapLock)
            {
                _gapFrom = sequence;
                _gapTo = sequence;
                _gapCount = 1;
                _gapPending = true;
            }

            return;
        }

        _channel.Writer.TryWrite(new StreamFrame(StreamFrameKind.Data, sequence, evt, arrival));
    }

    /// <summary>Buffers a replayed event regardless of the bound (replay is bounded by the replay limit).</summary>
    public void Replay(ulong sequence, AnalyticsEvent evt, DateTimeOffset arrival)
    {
        Interlocked.Increment(ref _buffered);
        _channel.Writer.TryWrite(new StreamFrame(StreamFrameKind.Data, sequence, evt, arrival));
    }

    /// <summary>Buffers a gap frame for sequences that can no longer be replayed (how many matched is unknown).</summary>
    public void Unreplayable(ulong from, ulong to) =>
        _channel.Writer.TryWrite(new StreamFrame(StreamFrameKind.Gap, 0, null, _time.GetUtcNow(), from, to));

    public void StartHeartbeats(TimeSpan interval)
    {
        if (interval != Timeout.InfiniteTimeSpan)
        {
            _timer = _time.CreateTimer(static state => ((BufferedEventSubscription)state!).Heartbeat(), this, interval, interval);
        }
    }

    /// <summary>Ends the stream with a complete frame (the store was disposed).</summary>
    public void Complete()
    {
        _channel.Writer.TryWrite(new StreamFrame(StreamFrameKind.Complete, 0, null, _time.GetUtcNow()));
        _channel.Writer.TryComplete();
        _timer?.Dispose();
    }

    public IAsyncEnumerator<StreamEvent<AnalyticsEvent>> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A subscription can be enumerated once.");
        }

        return ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _timer?.Dispose();
            _unsubscribe(this);
            _channel.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    private void Heartbeat()
    {
        if (Interlocked.Exchange(ref _heartbeatPending, 1) == 0)
        {
            _channel.Writer.TryWrite(new StreamFrame(StreamFrameKind.Heartbeat, 0, null, _time.GetUtcNow()));
        }
    }

    private async IAsyncEnumerable<StreamEvent<AnalyticsEvent>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            var reader = _channel.Reader;
            while (true)
            {
                while (reader.TryRead(out var frame))
                {
                    switch (frame.Kind)
                    {
                        case StreamFrameKind.Data:
                            Interlocked.Decrement(ref _buffered);
                            _lastDelivered = frame.Sequence;
                            yield return new StreamEvent<AnalyticsEvent>
                            {
                                EventId = frame.Event!.EventId,
                                EventType = StreamEventType.Data,
                                Data = frame.Event,
                                Sequence = frame.Sequence,
                                Timestamp = frame.Timestamp,
                            };
                            break;
                        case StreamFrameKind.Heartbeat:
                            Volatile.Write(ref _heartbeatPending, 0);
                            yield return Control(StreamEventType.Heartbeat, frame.Timestamp, null);
                            break;
                        case StreamFrameKind.Gap:
                            yield return Control(StreamEventType.Error, frame.Timestamp, ApiError.StreamGap(frame.GapFrom, frame.GapTo, frame.GapCount, frame.Timestamp));
                            break;
                        default:
                            yield return Control(StreamEventType.Complete, frame.Timestamp, null);
                            yield break;
                    }
                }

                if (TryTakeGap(out var from, out var to, out var missed))
                {
                    var now = _time.GetUtcNow();
                    yield return Control(StreamEventType.Error, now, ApiError.StreamGap(from, to, missed, now));
                    continue;
                }

                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }
            }
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    private bool TryTakeGap(out ulong from, out ulong to, out long missed)
    {
        from = to = 0;
        missed = 0;
        if (!_gapPending)
        {
            return false;
        }

        lock (_gapLock)
        {
            if (!_gapPending)
            {
                return false;
            }

            from = _gapFrom;
            to = _gapTo;
            missed = _gapCount;
            _gapPending = false;
            return true;
        }
    }

    private StreamEvent<AnalyticsEvent> Control(StreamEventType type, DateTimeOffset timestamp, ApiError? error) => new()
    {
        EventId = Guid.NewGuid(),
        EventType = type,
        Sequence = _lastDelivered,
        Timestamp = timestamp,
        Error = error,
    };
}
