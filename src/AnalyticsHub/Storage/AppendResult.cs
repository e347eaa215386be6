using System.Globalization;
using AnalyticsHub.Api;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage;

/// <summary>The outcome of appending a batch: how many were stored, how many were duplicates, and which.</summary>
/// <remarks>
/// Stored events get consecutive store-wide sequence numbers in batch order (duplicates get none), from
/// <see cref="FirstSequence"/> to <see cref="LastSequence"/>. Per-item statuses cost nothing when there are no duplicates.
/// </remarks>
public sealed class AppendResult
{
    private readonly AppendItemStatus[]? _statuses;

    internal AppendResult(int count, int duplicates, AppendItemStatus[]? statuses, ulong firstSequence)
    {
        Count = count;
        Duplicates = duplicates;
        _statuses = statuses;
        FirstSequence = firstSequence;
    }

    /// <summary>How many events the batch held.</summary>
    public int Count { get; }

    /// <summary>How many events were stored.</summary>
    public int Appended => Count - Duplicates;

    /// <summary>How many events were not stored because their id was already stored.</summary>
    public int Duplicates { get; }

    /// <summary>The sequence number of the first stored event; meaningless when <see cref="Appended"/> is 0.</summary>
    public ulong FirstSequence { get; }

    /// <summary>The sequence number of the last stored event; meaningless when <see cref="Appended"/> is 0.</summary>
    public ulong LastSequence => FirstSequence + (ulong)Appended - 1;

    /// <summary>What became of the event at <paramref name="index"/> of the batch.</summary>
    /// <param name="index">The position in the batch, from 0.</param>
    public AppendItemStatus this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _statuses?[index] ?? AppendItemStatus.Appended;
        }
    }

    /// <summary>The result as the API's batch response: <c>success</c> per stored item, <c>skipped</c> with a <c>duplicate_event</c> error per duplicate.</summary>
    /// <param name="events">The batch that was appended (for the item ids).</param>
    /// <param name="timeProvider">The clock for error timestamps; the system clock when null.</param>
    public BatchResponse<NoContent> ToBatchResponse(IReadOnlyList<AnalyticsEvent> events, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count != Count)
        {
            throw new ArgumentException("The batch must be the one that was appended.", nameof(events));
        }

        var results = new BatchItemResult<NoContent>[Count];
        for (var i = 0; i < Count; i++)
        {
            var id = events[i].EventId.ToString("D", CultureInfo.InvariantCulture);
            results[i] = this[i] == AppendItemStatus.Appended
                ? new BatchItemResult<NoContent> { Index = i, ItemId = id, Status = ItemStatus.Success }
                : new BatchItemResult<NoContent>
                {
                    Index = i,
                    ItemId = id,
                    Status = ItemStatus.Skipped,
                    Error = ApiError.Create(ProblemCodes.DuplicateEvent, 409, $"Event {id} is already stored.", timeProvider),
                };
        }

        return BatchResponse.Create(results);
    }
}
