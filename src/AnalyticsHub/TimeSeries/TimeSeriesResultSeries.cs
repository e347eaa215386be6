namespace AnalyticsHub.TimeSeries;

/// <summary>One series of a query result: its tags (all tags for raw points, the group-by tags for aggregations) and its points in time order.</summary>
public sealed record TimeSeriesResultSeries
{
    /// <summary>The series' tags.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>The points, by increasing timestamp.</summary>
    public required IReadOnlyList<TimeSeriesDataPoint> Points { get; init; }
}
