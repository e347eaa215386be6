namespace AnalyticsHub.Api;

/// <summary>One window of a metric as the API reports it (spec 1.8, with the additive optional fields it lacks).</summary>
/// <remarks>
/// Statistics windows fill <c>avg</c> ... <c>p99</c>, <c>count</c>, <c>sum</c> and <c>stddev</c>; counters fill
/// <c>count</c> (the total) and <c>rate</c> (per second); gauges fill <c>value</c> and <c>delta</c>. What a window does
/// not have is left out of the JSON rather than written as a made-up 0.
/// </remarks>
public sealed record AggregatedValue
{
    /// <summary>The window's start.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The group's tags (the query's <c>group_by</c> keys); left out when the query did not group.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The mean.</summary>
    public double? Avg { get; init; }

    /// <summary>The smallest value.</summary>
    public double? Min { get; init; }

    /// <summary>The largest value.</summary>
    public double? Max { get; init; }

    /// <summary>The median.</summary>
    public double? P50 { get; init; }

    /// <summary>The 95th percentile.</summary>
    public double? P95 { get; init; }

    /// <summary>The 99th percentile.</summary>
    public double? P99 { get; init; }

    /// <summary>How many values the window holds (for a counter, its total).</summary>
    public required ulong Count { get; init; }

    /// <summary>The sample standard deviation; absent when undefined (fewer than 2 values).</summary>
    public double? Stddev { get; init; }

    /// <summary>The sum of the values.</summary>
    public double? Sum { get; init; }

    /// <summary>A counter's rate, per second.</summary>
    public double? Rate { get; init; }

    /// <summary>A gauge's value at the window's end.</summary>
    public double? Value { get; init; }

    /// <summary>A gauge's change over the window.</summary>
    public double? Delta { get; init; }
}
