using AnalyticsHub.Events;

namespace AnalyticsHub.Metrics;

/// <summary>A query for a metric's windows over a time range.</summary>
public sealed record MetricQuery
{
    private readonly IReadOnlyList<string> _groupBy = [];

    private readonly IReadOnlyList<StatType> _includeStats = [];

    private readonly IReadOnlyDictionary<string, string> _tagFilters = Metric.EmptyTags;

    /// <summary>Gets the metric name.</summary>
    public required string MetricName { get; init; }

    /// <summary>Gets the time range to read.</summary>
    public required TimeRange TimeRange { get; init; }

    /// <summary>Gets the window size, or <see langword="null"/> for the store's choice (written as <c>null</c>).</summary>
    public TimeWindow? Window { get; init; }

    /// <summary>Gets the tags a series must carry (empty by default).</summary>
    public IReadOnlyDictionary<string, string> TagFilters
    {
        get => _tagFilters;
        init => _tagFilters = value ?? Metric.EmptyTags;
    }

    /// <summary>Gets the statistics to return (empty by default).</summary>
    public IReadOnlyList<StatType> IncludeStats
    {
        get => _includeStats;
        init => _includeStats = value ?? [];
    }

    /// <summary>Gets the tag keys to group by (empty by default).</summary>
    public IReadOnlyList<string> GroupBy
    {
        get => _groupBy;
        init => _groupBy = value ?? [];
    }
}
