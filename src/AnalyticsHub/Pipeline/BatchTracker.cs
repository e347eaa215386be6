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
    private (EventItemStatus Status, string? Reason)[] _outcomes = new (EventItemStatus, string?)[16];
    private EventItemResult[]? _items;
    private int _pending = 1;

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
        _items = items;
        var snapshot = (EventItemResult[])items.Clone();
        Release();
        return new IngestResult(snapshot, _completion.Task) { ItemLimitReached = items.Length > 0 && IsItemLimit(items[^1]) };
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

        // The items are the tracker's own since Seal (the caller got a copy): the final statuses go in place.
        var final = _items!;
        lock (_gate)
        {
            for (var i = 0; i < final.Length; i++)
            {
                if (final[i].Status == EventItemStatus.Accepted)
                {
                    var (status, reason) = _outcomes[final[i].Index];
                    final[i] = final[i] with { Status = status, Reason = reason };
                }
            }
        }

        Completed?.Invoke(final);
        _completion.TrySetResult(final);
    }
}
