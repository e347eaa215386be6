
namespace AnalyticsHub.TimeSeries;

/// <summary>One stored series: its identity, its fields and how much data it holds.</summary>
public sealed record SeriesDescription
{
    /// <summary>The store's id of the series (stable for the store's lifetime).</summary>
    public required int SeriesId { get; init; }

    /// <summary>The measurement.</summary>
    public required string Measurement { get; init; }

    /// <summary>The tags that, with the measurement, name the series.</summary>
    public required TagSet Tags { get; init; }

    /// <summary>The field names seen, in first-seen order.</summary>
    public required IReadOnlyList<string> Fields { get; init; }

    /// <summary>Points stored.</summary>
    public required long PointCount { get; init; }

    /// <summary>The earliest stored timestamp, if any.</summary>
    public DateTimeOffset? FirstTimestamp { get; init; }

    /// <summary>The latest stored timestamp, if any.</summary>
    public DateTimeOffset? LastTimestamp { get; init; }
}
