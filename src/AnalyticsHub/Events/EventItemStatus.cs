namespace AnalyticsHub.Events;

/// <summary>
/// What became of one item: first when it was offered (<see cref="Invalid"/>, <see cref="Refused"/>,
/// <see cref="Dropped"/> or <see cref="Accepted"/>), then, for an accepted item, when the pipeline
/// finished it (<see cref="Stored"/>, <see cref="Duplicate"/> or <see cref="Failed"/>).
/// </summary>
/// <remarks>
/// The accounting is exact: offered = invalid + refused + dropped + accepted, and accepted = stored +
/// duplicate + failed. On the API an item maps to <c>success</c> (stored), <c>skipped</c> (duplicate
/// or dropped) or <c>failed</c> (invalid, refused or failed).
/// </remarks>
public enum EventItemStatus
{
    /// <summary>Read and valid (warnings may be attached); not yet stored.</summary>
    Accepted,

    /// <summary>Rejected: not readable, or an error-level validation problem. Nothing of it is stored.</summary>
    Invalid,

    /// <summary>Backpressure said no: the queue was full (and a wait, if configured, timed out).</summary>
    Refused,

    /// <summary>The queue was full and the drop-newest mode dropped the item.</summary>
    Dropped,

    /// <summary>Accepted and newly stored; it went on to every stage.</summary>
    Stored,

    /// <summary>Accepted, but an event with the same id was already stored; it went no further.</summary>
    Duplicate,

    /// <summary>Accepted, but storing it failed after the retries; <see cref="EventItemResult.Reason"/> says why.</summary>
    Failed,
}
