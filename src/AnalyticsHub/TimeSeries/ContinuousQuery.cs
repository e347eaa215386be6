namespace AnalyticsHub.TimeSeries;

/// <summary>A query run periodically to write its results into another measurement (declarative here; executed by the rollup engine).</summary>
public sealed record ContinuousQuery
{
    /// <summary>The query's identity.</summary>
    public required string QueryId { get; init; }

    /// <summary>A display name.</summary>
    public required string Name { get; init; }

    /// <summary>The measurement read.</summary>
    public required string SourceMeasurement { get; init; }

    /// <summary>The measurement written.</summary>
    public required string DestinationMeasurement { get; init; }

    /// <summary>The query run each interval.</summary>
    public required TimeSeriesQuery Query { get; init; }

    /// <summary>How often it runs, a window string such as <c>1m</c>.</summary>
    public required string Interval { get; init; }

    /// <summary>Whether it runs.</summary>
    public required bool Enabled { get; init; }
}
