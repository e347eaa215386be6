namespace AnalyticsHub.Correlation;

/// <summary>
/// The reads a backend gives <see cref="CorrelationQueryPlan.Execute"/>: the stored incidents (latest state) by time and
/// by member event.
/// </summary>
/// <remarks>Called under whatever consistency the backend offers for one query (the in-memory store holds its lock).</remarks>
public interface ICorrelationLookup
{
    /// <summary>The latest <see cref="EventCorrelation.DetectedAt"/> of any stored incident; null when the store is empty.</summary>
    DateTimeOffset? NewestDetection { get; }

    /// <summary>The stored incidents whose time window touches [<paramref name="from"/>, <paramref name="to"/>] (both ends inclusive), in any order.</summary>
    IEnumerable<EventCorrelation> Overlapping(DateTimeOffset from, DateTimeOffset to);

    /// <summary>The stored incidents with <paramref name="eventId"/> among their members, in any order.</summary>
    IEnumerable<EventCorrelation> WithMember(Guid eventId);
}
