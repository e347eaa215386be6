using AnalyticsHub.Events;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// Collects the final outcomes of one ingest call's accepted items (keyed by item index) and
/// completes <see cref="IngestResult.Completion"/> when the last one arrives.
/// </summary>
/// <remarks>
/// The caller holds one count until <see cref="Seal"/>, so the completion cannot fire while items
/// are still being offered, even if the pipeline finishes the first ones at once.
/// </remarks>
internal sealed class BatchTracker
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<IReadOnlyList<EventItemResult>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (EventItemStatus Status, string? Reason)[] _outcomes;
    private EventItemResult[]? _items;
    private int _pending = 1;

    /// <summary>Creates a tracker for about <paramref name="capacity"/> items (it grows past that when needed).</summary>
    public BatchTracker(int capacity = 16)
    {
        _outcomes = new (EventItemStatus, string?)[Math.Max(1, capacity)];
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

    /// <summary>The pipeline's final word on the accepted item at <paramref name="index"/>.</summary>
    public void Complete(int index, EventItemStatus status, string? reason)
    {
        lock (_gate)
        {
            if (index >= _outcomes.Length)
            {
                Array.Resize(ref _outcomes, Math.Max(_outcomes.Length * 2, index + 1));
            }

            _outcomes[index] = (status, reason);
        }

        Release();
    }

    /// <summary>Every item has been offered: returns the immediate statuses and releases the caller's hold.</summary>
    public IngestResult Seal(EventItemResult[] items)
    {
        // The caller's result and the final one share the items: the final statuses are read through the outcomes
        // (FinalItems), so a batch of a thousand events does not copy its results.
        _items = items;
        Release();
        return new IngestResult(items, _completion.Task) { ItemLimitReached = items.Length > 0 && IsItemLimit(items[^1]) };
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

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) != 0)
        {
            return;
        }

        // Every item has settled: the outcomes no longer change.
        var final = new FinalItems(_items!, _outcomes);
        Completed?.Invoke(final);
        _completion.TrySetResult(final);
    }

    /// <summary>The items with the pipeline's final status and reason in place of each accepted item's immediate one.</summary>
    private sealed class FinalItems(EventItemResult[] items, (EventItemStatus Status, string? Reason)[] outcomes) : IReadOnlyList<EventItemResult>
    {
        public int Count => items.Length;

        public EventItemResult this[int index]
        {
            get
            {
                var item = items[index];
                if (item.Status != EventItemStatus.Accepted)
                {
                    return item;
                }

                var (status, reason) = outcomes[item.Index];
                return item with { Status = status, Reason = reason };
            }
        }

        public IEnumerator<EventItemResult> GetEnumerator()
        {
            for (var i = 0; i < items.Length; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
