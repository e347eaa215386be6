using System.Runtime.InteropServices;
using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage.Streams;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The reference <see cref="IEventStore"/>: events in memory, indexed by time, by module and severity,
/// by severity, by id, by correlation and by parent; bounded by a count and an age; with live subscriptions.
/// </summary>
/// <remarks>
/// <para>
/// Layout: events get consecutive sequence numbers and fill fixed-size blocks in arrival order. Each block
/// indexes its events by (time), (module, severity, time) and (severity, time); a table of block time bounds
/// finds the blocks a time range touches by binary search. A query with time, module and minimum-severity
/// filters therefore reads only matching index entries: it costs O(log n + k), and
/// <see cref="Api.QueryMetrics.RecordsScanned"/> counts the entries it read. Correlation and parent lookups
/// follow per-event chains from a dictionary of heads.
/// </para>
/// <para>
/// Concurrency: one <see cref="ReaderWriterLockSlim"/>. Appends (and evictions) take the write lock for a whole
/// batch, so a batch is atomic and sequences follow lock order; queries take the read lock and run in parallel
/// with each other. Nothing awaits under the lock. Subscribers never hold it: an append hands each matching
/// event to the subscriber's own buffer without waiting, and a full buffer turns into a gap frame.
/// </para>
/// <para>
/// Retention: beyond <see cref="InMemoryEventStoreOptions.MaxEvents"/> the oldest events are evicted; events
/// appended longer than <see cref="InMemoryEventStoreOptions.MaxAge"/> ago (by the <see cref="TimeProvider"/>)
/// are evicted on the next append or read. Both are counted in <see cref="GetStatistics"/>. An evicted id may be
/// stored again.
/// </para>
/// </remarks>
public sealed partial class InMemoryEventStore : IEventStore, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly InMemoryEventStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly int _blockSize;
    private readonly long _maxAgeTicks;
    private readonly BlockTable _blocks = new();
    private readonly EventIdTable _byId;
    private readonly Dictionary<Guid, ulong> _correlationHeads = [];
    private readonly Dictionary<Guid, ulong> _parentHeads = [];
    private readonly RecentWrites _writes = new();
    private ulong _nextSequence = 1;
    private ulong _minLive = 1;
    private long _lastArrival = long.MinValue;
    private long _oldestLiveArrival = long.MaxValue;
    private long _appended;
    private long _duplicates;
    private long _evictedByCount;
    private long _evictedByAge;
    private bool _disposed;

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">Retention, layout and streaming settings; the defaults when null.</param>
    /// <param name="timeProvider">The clock for retention ages, heartbeats and timestamps; the system clock when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its bounds.</exception>
    public InMemoryEventStore(InMemoryEventStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new InMemoryEventStoreOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _blockSize = _options.BlockSize;
        _maxAgeTicks = _options.MaxAge is { } age ? age.Ticks : long.MaxValue;
        _byId = new EventIdTable(IdAt, _options.MaxEvents);
    }

    /// <summary>The settings the store was made with.</summary>
    public InMemoryEventStoreOptions Options => _options;

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, CancellationToken cancellationToken = default) =>
        AppendAsync(events, Guid.NewGuid(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is null)
            {
                throw new ArgumentException($"The event at index {i} is null; nothing was stored.", nameof(events));
            }
        }

        return ValueTask.FromResult(Append(events, writeId));
    }

    /// <inheritdoc />
    public ValueTask<AnalyticsEvent?> GetAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnforceMaxAge();
        _lock.EnterReadLock();
        try
        {
            if (_byId.TryGetValue(eventId, out var sequence))
            {
                Locate(sequence, out var block, out var position);
                return ValueTask.FromResult(block.Events[position]);
            }

            return ValueTask.FromResult<AnalyticsEvent?>(null);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AnalyticsEvent>> GetCorrelatedAsync(Guid correlationId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<AnalyticsEvent>>(FollowChain(_correlationHeads, correlationId, parents: false));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AnalyticsEvent>> GetChildrenAsync(Guid parentEventId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<AnalyticsEvent>>(FollowChain(_parentHeads, parentEventId, parents: true));
    }

    /// <summary>The store's counters at this moment.</summary>
    public EventStoreStatistics GetStatistics()
    {
        EnforceMaxAge();
        _lock.EnterReadLock();
        try
        {
            return new EventStoreStatistics(
                (long)(_nextSequence - _minLive),
                _appended,
                _duplicates,
                _evictedByCount,
                _evictedByAge,
                _nextSequence - 1,
                _subscribers.Length,
                _blocks.Count);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Evicts the events older than <see cref="InMemoryEventStoreOptions.MaxAge"/> now (reads and appends also do it).</summary>
    public void EvictExpired()
    {
        _lock.EnterWriteLock();
        try
        {
            EvictExpiredLocked(_time.GetUtcNow().UtcTicks);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Completes every subscription (each gets a <c>complete</c> frame) and refuses further appends and subscriptions.</summary>
    public void Dispose()
    {
        BufferedEventSubscription[] subscribers;
        _lock.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }
    }

    private AppendResult Append(IReadOnlyList<AnalyticsEvent> events, Guid writeId)
    {
        var now = _time.GetUtcNow().UtcTicks;
        AppendItemStatus[]? statuses = null;
        var duplicates = 0;
        var recovered = 0;
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            EvictExpiredLocked(now);
            var arrival = Math.Max(now, _lastArrival);
            _lastArrival = arrival;
            var arrivalTime = new DateTimeOffset(arrival, TimeSpan.Zero);
            var first = _nextSequence;
            var subscribers = _subscribers;
            for (var i = 0; CacheHint.IsSupported && i < events.Count && i < CacheHint.Distance; i++)
            {
                _byId.PrefetchHome(events[i].EventId);
            }

            for (var i = 0; i < events.Count; i++)
            {
                var evt = events[i];
                if (CacheHint.IsSupported && i + CacheHint.Distance < events.Count)
                {
                    // The id table's probe reads one random slot of a table sized for the store's cap: started a few
                    // events ahead, its load overlaps this event's work instead of stalling its own probe.
                    _byId.PrefetchHome(events[i + CacheHint.Distance].EventId);
                }

                var sequence = _nextSequence;
                if (!_byId.TryAdd(evt.EventId, sequence, out var existing))
                {
                    statuses ??= new AppendItemStatus[events.Count];
                    if (_writes.Wrote(writeId, existing))
                    {
                        statuses[i] = AppendItemStatus.Recovered;
                        recovered++;
                    }
                    else
                    {
                        statuses[i] = AppendItemStatus.Duplicate;
                        duplicates++;
                    }

                    continue;
                }

                _nextSequence++;
                var common = evt.Common;
                ulong previousCorrelated = 0, previousSibling = 0;
                if (common.CorrelationId is { } correlationId)
                {
                    ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_correlationHeads, correlationId, out _);
                    previousCorrelated = head;
                    head = sequence;
                }

                if (common.ParentEventId is { } parentId)
                {
                    ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_parentHeads, parentId, out _);
                    previousSibling = head;
                    head = sequence;
                }

                var block = ActiveBlock(sequence);
                block.Add(evt, arrival, previousCorrelated, previousSibling);
                _blocks.UpdateLast(block.MinTicks, block.MaxTicks);
                for (var s = 0; s < subscribers.Length; s++)
                {
                    var subscriber = subscribers[s];
                    if (subscriber.Matcher.Matches(evt))
                    {
                        subscriber.Offer(sequence, evt, arrivalTime);
                    }
                }
            }

            if (_oldestLiveArrival == long.MaxValue && _nextSequence > _minLive)
            {
                Volatile.Write(ref _oldestLiveArrival, arrival);
            }

            _appended += events.Count - duplicates - recovered;
            _duplicates += duplicates;
            _writes.Record(writeId, first, _nextSequence);
            var live = _nextSequence - _minLive;
            if (live > (ulong)_options.MaxEvents)
            {
                EvictBefore(_nextSequence - (ulong)_options.MaxEvents, byAge: false);
            }

            return new AppendResult(events.Count, duplicates, statuses, first, recovered);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The id of the live event at <paramref name="sequence"/>, which the id table reads back to confirm a fingerprint.</summary>
    private Guid IdAt(ulong sequence)
    {
        Locate(sequence, out var block, out var position);
        return block.Events[position]!.Common.EventId;
    }

    private EventBlock ActiveBlock(ulong sequence)
    {
        var last = _blocks.Last;
        if (last is not null && !last.IsFull)
        {
            return last;
        }

        last?.Seal();
        var block = new EventBlock(sequence, _blockSize);
        _blocks.Add(block);
        return block;
    }

    /// <summary>Finds a live sequence's block and position; blocks are full and contiguous, so this is arithmetic.</summary>
    private void Locate(ulong sequence, out EventBlock block, out int position)
    {
        var first = _blocks[_blocks.First];
        var offset = sequence - first.FirstSequence;
        block = _blocks[_blocks.First + (int)(offset / (ulong)_blockSize)];
        position = (int)(sequence - block.FirstSequence);
    }

    private void EnforceMaxAge()
    {
        if (_maxAgeTicks == long.MaxValue)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcTicks;
        if (Volatile.Read(ref _oldestLiveArrival) >= now - _maxAgeTicks)
        {
            return;
        }

        _lock.EnterWriteLock();
        try
        {
            EvictExpiredLocked(now);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void EvictExpiredLocked(long now)
    {
        if (_maxAgeTicks == long.MaxValue || _oldestLiveArrival >= now - _maxAgeTicks)
        {
            return;
        }

        var cutoff = now - _maxAgeTicks;
        var sequence = _minLive;
        while (sequence < _nextSequence)
        {
            Locate(sequence, out var block, out var position);
            if (block.LastArrival < cutoff)
            {
                sequence = block.EndSequence;
                continue;
            }

            sequence = block.FirstSequence + (ulong)block.FirstArrivedAtOrAfter(position, cutoff);
            break;
        }

        EvictBefore(sequence, byAge: true);
    }

    /// <summary>Evicts every live event with a sequence below <paramref name="newMinLive"/> and drops emptied blocks.</summary>
    private void EvictBefore(ulong newMinLive, bool byAge)
    {
        for (var sequence = _minLive; sequence < newMinLive; sequence++)
        {
            Locate(sequence, out var block, out var position);
            var common = block.Events[position]!.Common;
            _byId.Remove(common.EventId);
            if (common.CorrelationId is { } correlationId && _correlationHeads.TryGetValue(correlationId, out var head) && head <= sequence)
            {
                _correlationHeads.Remove(correlationId);
            }

            if (common.ParentEventId is { } parentId && _parentHeads.TryGetValue(parentId, out head) && head <= sequence)
            {
                _parentHeads.Remove(parentId);
            }

            block.Clear(position);
        }

        var evicted = (long)(newMinLive - _minLive);
        if (byAge)
        {
            _evictedByAge += evicted;
        }
        else
        {
            _evictedByCount += evicted;
        }

        _minLive = newMinLive;
        while (_blocks.Count > 1 && _blocks[_blocks.First].EndSequence <= _minLive)
        {
            _blocks.RemoveFirst();
        }

        if (_minLive < _nextSequence)
        {
            Locate(_minLive, out var oldest, out var at);
            Volatile.Write(ref _oldestLiveArrival, oldest.ArrivalAt(at));
        }
        else
        {
            Volatile.Write(ref _oldestLiveArrival, long.MaxValue);
        }
    }

    private List<AnalyticsEvent> FollowChain(Dictionary<Guid, ulong> heads, Guid key, bool parents)
    {
        EnforceMaxAge();
        var found = new List<(long Ticks, ulong Sequence, AnalyticsEvent Event)>();
        _lock.EnterReadLock();
        try
        {
            if (heads.TryGetValue(key, out var sequence))
            {
                while (sequence >= _minLive && sequence != 0)
                {
                    Locate(sequence, out var block, out var position);
                    found.Add((block.Ticks[position], sequence, block.Events[position]!));
                    sequence = parents ? block.PrevSibling(position) : block.PrevCorrelation(position);
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        found.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Sequence.CompareTo(b.Sequence));
        var events = new List<AnalyticsEvent>(found.Count);
        foreach (var item in found)
        {
            events.Add(item.Event);
        }

        return events;
    }
}
