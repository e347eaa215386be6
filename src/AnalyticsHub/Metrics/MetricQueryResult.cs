using System.Diagnostics.CodeAnalysis;
using AnalyticsHub.TimeSeries;
using AnalyticsHub.Events;

namespace AnalyticsHub.Metrics;

/// <summary>The answer to a <see cref="MetricQuery"/>: one <see cref="AggregatedMetric"/> per group and window, or the errors.</summary>
public sealed record MetricQueryResult
{
    /// <summary>The windows, by group (sorted by the group-by values) then by start; null when the query failed.</summary>
    public IReadOnlyList<AggregatedMetric>? Metrics { get; init; }

    /// <summary>What the underlying time-series query did (resolutions used, warnings, timing).</summary>
    public QueryMetadata? Metadata { get; init; }

    /// <summary>The problems with codes and JSON paths; empty on success.</summary>
    public IReadOnlyList<Problem> Errors { get; init => field = value ?? []; } = [];

    /// <summary>Whether the query ran.</summary>
    [MemberNotNullWhen(true, nameof(Metrics))]
    public bool IsSuccess => Metrics is not null;
}
