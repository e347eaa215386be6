namespace AnalyticsHub.TimeSeries;

/// <summary>One aggregation of a <see cref="TimeSeriesQuery"/>: a function over fields, optionally per time bucket.</summary>
public sealed record Aggregation
{
    /// <summary>The function.</summary>
    public required AggregationFunction Function { get; init; }

    /// <summary>
    /// The time-bucket width (<c>30s</c>, <c>1m</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, <c>1w</c>, ...); absent or empty means one
    /// bucket for the whole range. Every aggregation of a query that names a window must name the same one.
    /// </summary>
    public string? Window { get; init; }

    /// <summary>The fields to aggregate; empty means the query's <c>select_fields</c>, or every field.</summary>
    public IReadOnlyList<string> Fields { get; init => field = value ?? []; } = [];
}
