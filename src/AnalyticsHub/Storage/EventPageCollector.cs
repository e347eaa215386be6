using AnalyticsHub.Api;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage;

/// <summary>
/// The paging rules every <see cref="IEventStore"/> follows, in one place: validation and cursor decoding, the order
/// (event time, ties by store sequence; newest first by default), the offset page or the keyset cursor, the page size,
/// whether more follow, the next cursor and the page's metadata.
/// </summary>
/// <remarks>
/// <para>
/// A store creates one with <see cref="Start"/> (which throws <see cref="InvalidQueryException"/> for an invalid
/// query), reads the matching events in the query's order (<see cref="Descending"/>; a store may start after the
/// cursor's key, <see cref="CursorTicks"/>/<see cref="CursorSequence"/>, for speed) and offers each one with its key
/// until <see cref="Offer"/> returns false, then calls <see cref="ToPage"/> with the exact number of events matching
/// the filters (paging and cursor aside) as <see cref="EventPage.TotalItems"/>.
/// </para>
/// <para>
/// A page holds at most <see cref="EventQuery.PerPage"/> events; one more is read to know whether more follow. The next
/// cursor is the key of the page's last event (bound to the query's filters and order), or the given cursor for an
/// empty page, so a live tail can poll again. Not thread-safe.
/// </para>
/// </remarks>
public sealed class EventPageCollector
{
    private readonly List<AnalyticsEvent> _events;
    private readonly int _perPage;
    private int _skip;
    private long _lastTicks;
    private ulong _lastSequence;

    private EventPageCollector(EventQuery query, bool hasCursor, long cursorTicks, ulong cursorSequence)
    {
        Query = query;
        HasCursor = hasCursor;
        CursorTicks = cursorTicks;
        CursorSequence = cursorSequence;
        Descending = query.Order == SortOrder.Desc;
        _perPage = (int)query.PerPage;
        _skip = hasCursor ? 0 : (int)((query.Page - 1) * query.PerPage);
        _events = new List<AnalyticsEvent>(Math.Min(_perPage + 1, 128));
    }

    /// <summary>The query.</summary>
    public EventQuery Query { get; }

    /// <summary>Whether events come newest first.</summary>
    public bool Descending { get; }

    /// <summary>Whether the page continues after a cursor (so only keys after it are taken, and no page offset applies).</summary>
    public bool HasCursor { get; }

    /// <summary>The cursor's event time (UTC ticks), when <see cref="HasCursor"/>.</summary>
    public long CursorTicks { get; }

    /// <summary>The cursor's store sequence, when <see cref="HasCursor"/>.</summary>
    public ulong CursorSequence { get; }

    /// <summary>Validates the query and decodes its cursor.</summary>
    /// <param name="query">The query.</param>
    /// <returns>The collector.</returns>
    /// <exception cref="InvalidQueryException">The query or its cursor is invalid.</exception>
    public static EventPageCollector Start(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Validate() is { Count: > 0 } problems)
        {
            throw new InvalidQueryException("The event query is invalid.", problems);
        }

        long ticks = 0;
        ulong sequence = 0;
        var hasCursor = query.Cursor is not null && query.TryDecodeCursor(out ticks, out sequence) == CursorStatus.Valid;
        return new EventPageCollector(query, hasCursor, ticks, sequence);
    }

    /// <summary>Orders two event keys as the query returns them: negative when the first comes first.</summary>
    /// <param name="ticks">The first event's time (UTC ticks).</param>
    /// <param name="sequence">The first event's store sequence.</param>
    /// <param name="otherTicks">The second event's time.</param>
    /// <param name="otherSequence">The second event's store sequence.</param>
    /// <returns>The comparison in the query's order.</returns>
    public int Compare(long ticks, ulong sequence, long otherTicks, ulong otherSequence)
    {
        var ascending = ticks != otherTicks ? ticks.CompareTo(otherTicks) : sequence.CompareTo(otherSequence);
        return Descending ? -ascending : ascending;
    }

    /// <summary>Offers the next matching event in the query's order.</summary>
    /// <param name="ticks">Its event time (UTC ticks).</param>
    /// <param name="sequence">Its store sequence (unique, from 1).</param>
    /// <param name="evt">The event.</param>
    /// <returns>False once the page is complete (the store stops reading).</returns>
    public bool Offer(long ticks, ulong sequence, AnalyticsEvent evt)
    {
        if (HasCursor && Compare(ticks, sequence, CursorTicks, CursorSequence) <= 0)
        {
            return true;
        }

        if (_skip > 0)
        {
            _skip--;
            return true;
        }

        _events.Add(evt);
        if (_events.Count <= _perPage)
        {
            _lastTicks = ticks;
            _lastSequence = sequence;
        }

        return _events.Count <= _perPage;
    }

    /// <summary>The page.</summary>
    /// <param name="totalItems">How many events match the filters in all (paging and cursor aside); exact.</param>
    /// <param name="scanned">How many stored events the store examined.</param>
    /// <param name="elapsed">How long the query took.</param>
    /// <returns>The page.</returns>
    public EventPage ToPage(ulong totalItems, long scanned, TimeSpan elapsed)
    {
        var hasMore = _events.Count > _perPage;
        if (hasMore)
        {
            _events.RemoveAt(_events.Count - 1);
        }

        return new EventPage
        {
            Events = _events,
            TotalItems = totalItems,
            HasMore = hasMore,
            NextCursor = _events.Count > 0 ? EventCursor.Encode(Query.Fingerprint(), _lastTicks, _lastSequence) : Query.Cursor,
            Page = Query.Page,
            PerPage = Query.PerPage,
            FromCursor = HasCursor,
            Metrics = new QueryMetrics
            {
                ExecutionTimeMs = (ulong)Math.Max(0, (long)elapsed.TotalMilliseconds),
                RecordsScanned = (ulong)scanned,
                RecordsReturned = (ulong)_events.Count,
            },
        };
    }
}
