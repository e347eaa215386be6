using AnalyticsHub.Events;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// The answer to an ingest call: each item's status when it was offered, and an awaitable final
/// outcome once every accepted item is stored (or found a duplicate, or failed) and every stage
/// has seen it.
/// </summary>
public sealed class IngestResult
{
    internal IngestResult(IReadOnlyList<EventItemResult> items, Task<IReadOnlyList<EventItemResult>> completion)
    {
        Items = items;
        Completion = completion;
    }

    /// <summary>Per item, in input order: invalid, refused, dropped or accepted.</summary>
    public IReadOnlyList<EventItemResult> Items { get; }

    /// <summary>
    /// Per item, in input order, the final outcome: accepted items become stored, duplicate or failed;
    /// the others keep their status.
    /// </summary>
    public Task<IReadOnlyList<EventItemResult>> Completion { get; }

    /// <summary>
    /// Whether reading stopped at the item limit, <c>Validation.MaxBatchItems</c>: the last item is the refused
    /// <c>too_many_items</c> one, the items before it were handled, and the rest of the input was not read.
    /// </summary>
    public bool ItemLimitReached { get; internal init; }

    /// <summary>How many items were accepted into the queue.</summary>
    public int AcceptedCount
    {
        get
        {
            var count = 0;
            foreach (var item in Items)
            {
                count += item.Status == EventItemStatus.Accepted ? 1 : 0;
            }

            return count;
        }
    }
}
