namespace AnalyticsHub.TimeSeries;

/// <summary>Points of one measurement written together; a store accepts all of them or none.</summary>
public sealed record TimeSeriesBatch
{
    /// <summary>The producer's identity for the batch.</summary>
    public required string BatchId { get; init; }

    /// <summary>The measurement every point must carry.</summary>
    public required string Measurement { get; init; }

    /// <summary>The points.</summary>
    public required IReadOnlyList<TimeSeriesPoint> Points { get; init; }

    /// <summary>When the batch was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
