using System.Text.Json.Serialization;

namespace AnalyticsHub.Events;

/// <summary>
/// A span of event time, <c>{"start": ..., "end": ...}</c> on the wire: the one range type of the
/// library (decision 18), used by time-series, metric, event and API queries and by correlation windows.
/// </summary>
/// <remarks>
/// The start is inclusive and the end exclusive, so adjacent ranges never count a point twice.
/// Constructing an inverted range is allowed so that reading a query never throws; queries check
/// <see cref="IsValid"/> and report an error with its path instead. It lives in <c>Events</c> because
/// every other module depends on that namespace and it depends on none.
/// </remarks>
/// <param name="Start">The first instant inside the range.</param>
/// <param name="End">The first instant after the range.</param>
public readonly record struct TimeRange([property: JsonRequired] DateTimeOffset Start, [property: JsonRequired] DateTimeOffset End)
{
    /// <summary>Whether the range is non-empty (<see cref="End"/> after <see cref="Start"/>).</summary>
    [JsonIgnore]
    public bool IsValid => End > Start;

    /// <summary>The length of the range (negative when it is not valid).</summary>
    [JsonIgnore]
    public TimeSpan Duration => End - Start;

    /// <summary>The length in whole seconds, as the spec's <c>duration_seconds()</c>.</summary>
    [JsonIgnore]
    public long DurationSeconds => (long)Duration.TotalSeconds;

    /// <summary>Whether an instant lies inside the range (start inclusive, end exclusive).</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when <paramref name="instant"/> is in [start, end).</returns>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    /// <summary>Whether the two ranges share an instant.</summary>
    public bool Overlaps(TimeRange other) => Start < other.End && other.Start < End;
}
