namespace AnalyticsHub.Events;

/// <summary>The result for one item of a single event or a batch.</summary>
/// <param name="Index">The item's position in the batch, from 0 (blank NDJSON lines are not items).</param>
/// <param name="LineNumber">For NDJSON, the 1-based line the item stood on.</param>
/// <param name="EventId">The event's id when known, even for a rejected item whose <c>event_id</c> could be read.</param>
/// <param name="Status">What became of it.</param>
/// <param name="Event">The event, when it was accepted (and so for stored, duplicate and failed items).</param>
/// <param name="Problems">Every problem: the errors that rejected it, or the warnings it was accepted with.</param>
/// <param name="Reason">For refused, dropped and failed items: why, in words.</param>
public readonly record struct EventItemResult(
    int Index,
    long? LineNumber,
    Guid? EventId,
    EventItemStatus Status,
    AnalyticsEvent? Event,
    IReadOnlyList<Problem> Problems,
    string? Reason = null)
{
    /// <summary>Whether the item got past validation and backpressure (whatever became of it afterwards).</summary>
    public bool IsAccepted => Status is EventItemStatus.Accepted or EventItemStatus.Stored or EventItemStatus.Duplicate or EventItemStatus.Failed;
}
