namespace AnalyticsHub.TimeSeries;

/// <summary>The time-series aggregation functions (wire names lowercase).</summary>
public enum AggregationFunctionKind : byte
{
    /// <summary><c>mean</c>: the arithmetic mean.</summary>
    Mean,

    /// <summary><c>sum</c>: the sum (compensated).</summary>
    Sum,

    /// <summary><c>min</c>: the smallest value.</summary>
    Min,

    /// <summary><c>max</c>: the largest value.</summary>
    Max,

    /// <summary><c>count</c>: the number of values.</summary>
    Count,

    /// <summary><c>first</c>: the value with the earliest timestamp.</summary>
    First,

    /// <summary><c>last</c>: the value with the latest timestamp.</summary>
    Last,

    /// <summary><c>stddev</c>: the sample standard deviation (n - 1).</summary>
    Stddev,

    /// <summary><c>median</c>: the 50th percentile.</summary>
    Median,

    /// <summary><c>{"percentile": p}</c>: the p-th percentile.</summary>
    Percentile,
}
