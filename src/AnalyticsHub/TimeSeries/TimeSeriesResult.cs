namespace AnalyticsHub.TimeSeries;

/// <summary>The answer to a <see cref="TimeSeriesQuery"/>.</summary>
public sealed record TimeSeriesResult
{
    /// <summary>The measurement queried.</summary>
    public required string Measurement { get; init; }

    /// <summary>The result series, ordered by their tags.</summary>
    public required IReadOnlyList<TimeSeriesResultSeries> Series { get; init; }

    /// <summary>What the query did.</summary>
    public required QueryMetadata Metadata { get; init; }
}
