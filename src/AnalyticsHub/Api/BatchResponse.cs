using AnalyticsHub.Events;

namespace AnalyticsHub.Api;

/// <summary>Makes <see cref="BatchResponse{T}"/> results.</summary>
public static class BatchResponse
{
    /// <summary>A batch result with a new id, counts and status computed from <paramref name="results"/>.</summary>
    /// <typeparam name="T">The per-item data type.</typeparam>
    /// <param name="results">One result per item, in batch order.</param>
    /// <remarks>
    /// Status: <c>all_failed</c> when the batch is not empty and every item failed; <c>partial_success</c> when some
    /// failed; otherwise <c>all_success</c> (so an empty batch, or one of skipped items only, is <c>all_success</c>).
    /// </remarks>
    public static BatchResponse<T> Create<T>(IReadOnlyList<BatchItemResult<T>> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        int success = 0, failure = 0;
        for (var i = 0; i < results.Count; i++)
        {
            switch (results[i].Status)
            {
                case ItemStatus.Success:
                    success++;
                    break;
                case ItemStatus.Failed:
                    failure++;
                    break;
                case ItemStatus.Skipped:
                    break;
                default:
                    throw new ArgumentException($"Item {i} has an unknown status {results[i].Status}.", nameof(results));
            }
        }

        var status = failure == 0 ? BatchStatus.AllSuccess
            : failure == results.Count ? BatchStatus.AllFailed
            : BatchStatus.PartialSuccess;
        return new BatchResponse<T>
        {
            BatchId = Guid.NewGuid(),
            TotalItems = results.Count,
            SuccessCount = success,
            FailureCount = failure,
            Results = results,
            Status = status,
        };
    }

    /// <summary>
    /// The response to appending a batch of events: <c>success</c> per stored event, <c>skipped</c> with a
    /// <c>duplicate_event</c> error (409) per duplicate.
    /// </summary>
    /// <param name="events">The batch that was appended (for the item ids).</param>
    /// <param name="isDuplicate">Whether the event at an index was a duplicate (the store's append result, e.g. <c>AppendResult.IsDuplicate</c>).</param>
    /// <param name="timeProvider">The clock for error timestamps; the system clock when null.</param>
    /// <returns>The response.</returns>
    public static BatchResponse<NoContent> ForAppendedEvents(IReadOnlyList<AnalyticsEvent> events, Func<int, bool> isDuplicate, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(isDuplicate);
        var results = new BatchItemResult<NoContent>[events.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var id = events[i].EventId.ToString("D", System.Globalization.CultureInfo.InvariantCulture);
            results[i] = !isDuplicate(i)
                ? new BatchItemResult<NoContent> { Index = i, ItemId = id, Status = ItemStatus.Success }
                : new BatchItemResult<NoContent>
                {
                    Index = i,
                    ItemId = id,
                    Status = ItemStatus.Skipped,
                    Error = ApiError.Create(ProblemCodes.DuplicateEvent, 409, $"Event {id} is already stored.", timeProvider),
                };
        }

        return Create(results);
    }
}
