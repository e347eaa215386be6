namespace AnalyticsHub.Events;

/// <summary>
/// A span of event time, <c>{"start": ..., "end": ...}</c> on the wire: the one range type of the
/// library (decision 18), used by time-series, metric, event and API queries and by correlation windows.
/// </summary>
/// <remarks>
/// The start is inclusive and the end exclusive, so adjacent ranges never count a point twice.
/// It lives in <c>Events</c> because every other module depends on that namespace and it depends on none.
/// </remarks>
/// <param name="Start">The first instant inside the range.</param>
/// <param name="End">The first instant after the range.</param>
public readonly record struct TimeRange(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Whether the range is non-empty (<see cref="End"/> after <see cref="Start"/>).</summary>
    public bool IsValid => End > Start;

    /// <summary>The length of the range (negative when it is not valid).</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>Whether an instant lies inside the range (start inclusive, end exclusive).</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when <paramref name="instant"/> is in [start, end).</returns>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}
