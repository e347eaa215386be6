using AnalyticsHub.Events;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// Keeps the results of one ingest call's items — each item's status when it was offered, and the pipeline's final
/// outcome of each accepted item (keyed by item index) — and completes <see cref="IngestResult.Completion"/> when the
/// last one arrives.
/// </summary>
/// <remarks>
/// <para>
/// The caller holds one count until <see cref="Seal"/>, so the completion cannot fire while items are still being
/// offered, even if the pipeline finishes the first ones at once.
/// </para>
/// <para>
/// The tracker lives as long as the call's last item is queued, so it keeps the items compact instead of an
/// <see cref="EventItemResult"/> (about 72 bytes) per item: per item the event and one byte per status, the line
/// number and the event id only for the calls that have them, and the whole result only for an item with problems, a
/// reason or an index other than its position. <see cref="IngestResult.Items"/> and the completion's list rebuild
/// each result when read, equal to the one offered.
/// </para>
/// </remarks>
internal sealed class BatchTracker
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<IReadOnlyList<EventItemResult>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The offered items, by position; written by the caller only, read after Seal.
    private AnalyticsEvent?[] _events;
    private byte[] _offered;
    private long[]? _lines;
    private Guid[]? _ids;
    private Dictionary<int, EventItemResult>? _whole;
    private int _count;

    // The final outcomes, by item index; written by the pipeline under _gate.
    private byte[] _final;
    private Dictionary<int, string>? _finalReasons;
    private int _pending = 1;

    /// <summary>Creates a tracker for about <paramref name="capacity"/> items (it grows past that when needed).</summary>
    public BatchTracker(int capacity = 16)
    {
        capacity = Math.Max(1, capacity);
        _events = new AnalyticsEvent?[capacity];
        _offered = new byte[capacity];
        _final = new byte[capacity];
    }

    /// <summary>
    /// Called with the final outcomes just before <see cref="IngestResult.Completion"/> completes, on the thread that
    /// settled the last item: a caller that projects the outcomes (metric ingestion) completes its own task here, so it
    /// is done whenever the tracker's is (a flush that waited for the items sees both completed).
    /// </summary>
    public Action<IReadOnlyList<EventItemResult>>? Completed { get; init; }

    /// <summary>Announces an item about to be offered, so the completion waits for it.</summary>
    public void Expect() => Interlocked.Increment(ref _pending);

    /// <summary>An announced item was refused or dropped: it will never complete.</summary>
    public void Cancel() => Release();

    /// <summary>Records the next item's result as it was offered (its immediate status); called by the caller, in item order, before <see cref="Seal"/>.</summary>
    public void Add(in EventItemResult item)
    {
        var position = _count;
        if (position == _events.Length)
        {
            var size = _events.Length * 2;
            Array.Resize(ref _events, size);
            Array.Resize(ref _offered, size);
            if (_lines is not null)
            {
                Array.Resize(ref _lines, size);
            }

            if (_ids is not null)
            {
                Array.Resize(ref _ids, size);
            }
        }

        _count = position + 1;
        var idOfEvent = item.EventId == item.Event?.EventId;
        if (item.Index != position || item.Problems.Count > 0 || item.Reason is not null || item.LineNumber <= 0
            || !(idOfEvent || (item.Event is null && item.EventId != Guid.Empty)))
        {
            // Rare: an invalid item, a refused or dropped one, an index that is not the position, an id of its own.
            (_whole ??= [])[position] = item;
            return;
        }

        _events[position] = item.Event;
        _offered[position] = (byte)item.Status;
        if (item.LineNumber is { } line)
        {
            (_lines ??= new long[_events.Length])[position] = line;
        }

        if (!idOfEvent)
        {
            // An item offered without its event (a stream's) keeps only the id.
            (_ids ??= new Guid[_events.Length])[position] = item.EventId!.Value;
        }
    }

    /// <summary>The pipeline's final word on the accepted item at <paramref name="index"/>.</summary>
    public void Complete(int index, EventItemStatus status, string? reason)
    {
        lock (_gate)
        {
            if (index >= _final.Length)
            {
                Array.Resize(ref _final, Math.Max(_final.Length * 2, index + 1));
            }

            _final[index] = (byte)status;
            if (reason is not null)
            {
                (_finalReasons ??= [])[index] = reason;
            }
        }

        Release();
    }

    /// <summary>Every item has been offered (<see cref="Add"/>): returns the immediate statuses and releases the caller's hold.</summary>
    public IngestResult Seal()
    {
        var items = new OfferedItems(this);
        var result = new IngestResult(items, _completion.Task) { ItemLimitReached = _count > 0 && IsItemLimit(items[_count - 1]) };
        Release();
        return result;
    }

    /// <summary>The reader ends a batch cut at <c>Validation.MaxBatchItems</c> with one <c>too_many_items</c> item.</summary>
    private static bool IsItemLimit(EventItemResult item)
    {
        foreach (var problem in item.Problems)
        {
            if (problem.Code == ProblemCodes.TooManyItems)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The item at <paramref name="position"/> as it was offered.</summary>
    private EventItemResult Offered(int position)
    {
        if (_whole is not null && _whole.TryGetValue(position, out var item))
        {
            return item;
        }

        var evt = _events[position];
        long? line = _lines is not null && _lines[position] != 0 ? _lines[position] : null;
        Guid? id = _ids is not null && _ids[position] != Guid.Empty ? _ids[position] : evt?.EventId;
        return new EventItemResult(position, line, id, (EventItemStatus)_offered[position], evt, []);
    }

    /// <summary>The item at <paramref name="position"/> with the pipeline's final status and reason when it was accepted.</summary>
    private EventItemResult Final(int position)
    {
        var item = Offered(position);
        if (item.Status != EventItemStatus.Accepted)
        {
            return item;
        }

        var reason = _finalReasons is not null && _finalReasons.TryGetValue(item.Index, out var text) ? text : null;
        return item with { Status = (EventItemStatus)_final[item.Index], Reason = reason };
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) != 0)
        {
            return;
        }

        // Every item has settled: the outcomes no longer change.
        var final = new FinalItems(this);
        Completed?.Invoke(final);
        _completion.TrySetResult(final);
    }

    /// <summary>The items as they were offered, read from the tracker.</summary>
    private sealed class OfferedItems(BatchTracker tracker) : ItemList(tracker)
    {
        public override EventItemResult this[int index] => Tracker.Offered(Check(index));
    }

    /// <summary>The items with the pipeline's final status and reason in place of each accepted item's immediate one.</summary>
    private sealed class FinalItems(BatchTracker tracker) : ItemList(tracker)
    {
        public override EventItemResult this[int index] => Tracker.Final(Check(index));
    }

    private abstract class ItemList(BatchTracker tracker) : IReadOnlyList<EventItemResult>
    {
        private readonly int _count = tracker._count;

        protected BatchTracker Tracker { get; } = tracker;

        public int Count => _count;

        public abstract EventItemResult this[int index] { get; }

        public IEnumerator<EventItemResult> GetEnumerator()
        {
            for (var i = 0; i < _count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        protected int Check(int index) => (uint)index < (uint)_count ? index : throw new ArgumentOutOfRangeException(nameof(index));
    }
}
