namespace AnalyticsHub.TimeSeries;

/// <summary>The cardinality of a measurement: its series and the distinct values of each tag key, with the limits.</summary>
public sealed record CardinalityReport
{
    /// <summary>The measurement.</summary>
    public required string Measurement { get; init; }

    /// <summary>Series stored.</summary>
    public required int SeriesCount { get; init; }

    /// <summary>The most series allowed.</summary>
    public required int MaxSeries { get; init; }

    /// <summary>Per tag key, by key.</summary>
    public required IReadOnlyList<TagCardinality> Tags { get; init; }
}
