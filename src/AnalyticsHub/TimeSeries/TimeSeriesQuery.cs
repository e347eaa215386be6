using System.Collections.ObjectModel;
using AnalyticsHub.Events;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// A query over one measurement: a time range, tag filters and conditions, field selection, optional
/// aggregations per time bucket and tag group, fill, and paging (spec 1.5 plus the additive fields of decision 9).
/// </summary>
public sealed record TimeSeriesQuery
{
    /// <summary>The measurement to read.</summary>
    public required string Measurement { get; init; }

    /// <summary>The event-time range, start inclusive, end exclusive.</summary>
    public required TimeRange TimeRange { get; init; }

    /// <summary>Tags that must equal the given values (ANDed).</summary>
    public IReadOnlyDictionary<string, string> TagFilters { get; init => field = value ?? ReadOnlyDictionary<string, string>.Empty; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The fields to return or aggregate; empty means all.</summary>
    public IReadOnlyList<string> SelectFields { get; init => field = value ?? []; } = [];

    /// <summary>The single aggregation of the original shape; means a list of one (decision 9).</summary>
    public Aggregation? Aggregation { get; init; }

    /// <summary>Several aggregations computed in one pass (decision 9); not together with <see cref="Aggregation"/>.</summary>
    public IReadOnlyList<Aggregation>? Aggregations { get; init; }

    /// <summary>Tag keys to group aggregated results by (one result series per combination of values).</summary>
    public IReadOnlyList<string> GroupBy { get; init => field = value ?? []; } = [];

    /// <summary>How empty time buckets are filled; absent means they are left out. Needs a window.</summary>
    public FillStrategy? Fill { get; init; }

    /// <summary>The most points returned per result series.</summary>
    public ulong? Limit { get; init; }

    /// <summary>Points skipped at the start of each result series.</summary>
    public ulong? Offset { get; init; }

    /// <summary>Conditions on tags (<c>eq</c>, <c>ne</c>, <c>in</c>, <c>regex</c>), ANDed with <see cref="TagFilters"/> (decision 9).</summary>
    public IReadOnlyList<TagCondition>? TagConditions { get; init; }

    /// <summary>How percentiles and medians are computed; absent means <see cref="TimeSeries.PercentileMode.Exact"/>.</summary>
    public PercentileMode? PercentileMode { get; init; }
}
