using AnalyticsHub.Events;

namespace AnalyticsHub.TimeSeries;

/// <summary>The outcome of a write: all points stored, or none and the errors (never an exception for bad input).</summary>
public sealed record TimeSeriesWriteResult
{
    /// <summary>Points stored (0 when rejected).</summary>
    public required long PointsWritten { get; init; }

    /// <summary>Series created by this write.</summary>
    public required int SeriesCreated { get; init; }

    /// <summary>Why the write was rejected; empty on success. Paths are relative to the batch (<c>points[i]...</c>).</summary>
    public IReadOnlyList<Problem> Errors { get; init => field = value ?? []; } = [];

    /// <summary>Whether the points were stored.</summary>
    public bool IsSuccess => Errors.Count == 0;
}
