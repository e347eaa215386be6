namespace AnalyticsHub.Api;

/// <summary>One series of an API time-series answer: its name, its tags and its points (spec 1.8).</summary>
public sealed record SeriesData
{
    /// <summary>The series' name: the measurement queried.</summary>
    public required string Name { get; init; }

    /// <summary>The series' tags (all tags for raw points, the group-by tags for aggregations); empty by default.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init => field = value ?? EmptyTags; } = EmptyTags;

    /// <summary>The points, by increasing timestamp.</summary>
    public required IReadOnlyList<DataPoint> Points { get; init; }

    private static IReadOnlyDictionary<string, string> EmptyTags { get; } = new Dictionary<string, string>(0, StringComparer.Ordinal);
}
