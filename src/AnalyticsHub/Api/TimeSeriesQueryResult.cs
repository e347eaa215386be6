using AnalyticsHub.Events;

namespace AnalyticsHub.Api;

/// <summary>The API's answer to a time-series query (spec 1.8): the query, its range, the series and what it cost.</summary>
public sealed record TimeSeriesQueryResult
{
    /// <summary>The measurement queried.</summary>
    public required string Query { get; init; }

    /// <summary>The range queried.</summary>
    public required TimeRange TimeRange { get; init; }

    /// <summary>The result series, ordered by their tags.</summary>
    public required IReadOnlyList<SeriesData> Series { get; init; }

    /// <summary>What the query cost.</summary>
    public required QueryMetrics Metrics { get; init; }

    /// <summary>What the caller should know about the answer (e.g. a limit cut it); left out of the JSON when absent.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>Which resolutions answered the query (<c>raw</c>, <c>1h</c>, ...); left out of the JSON when absent.</summary>
    public IReadOnlyList<string>? Resolutions { get; init; }
}
