using System.Text.Json.Serialization;

namespace AnalyticsHub.Events;

/// <summary>
/// A span of time <c>[start, end)</c> in UTC: the one type for the spec's duplicated time ranges
/// (metrics, time series, API) and the correlation "time window" struct (decision 18).
/// </summary>
/// <remarks>Both ends are normalised to UTC; <see cref="End"/> must not precede <see cref="Start"/>.</remarks>
public readonly record struct TimeRange
{
    /// <summary>Creates a range; both ends are converted to UTC.</summary>
    /// <exception cref="ArgumentException"><paramref name="end"/> precedes <paramref name="start"/>.</exception>
    [JsonConstructor]
    public TimeRange(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start)
        {
            throw new ArgumentException($"The end {end:O} precedes the start {start:O}.", nameof(end));
        }

        Start = start.ToUniversalTime();
        End = end.ToUniversalTime();
    }

    /// <summary>The first instant in the range.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The first instant after the range.</summary>
    public DateTimeOffset End { get; }

    /// <summary>The length of the range.</summary>
    [JsonIgnore]
    public TimeSpan Duration => End - Start;

    /// <summary>The length in whole seconds, as the spec's <c>duration_seconds()</c>.</summary>
    [JsonIgnore]
    public long DurationSeconds => (long)Duration.TotalSeconds;

    /// <summary>Whether <paramref name="instant"/> lies in <c>[Start, End)</c>.</summary>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    /// <summary>Whether the two ranges share an instant.</summary>
    public bool Overlaps(TimeRange other) => Start < other.End && other.Start < End;
}
