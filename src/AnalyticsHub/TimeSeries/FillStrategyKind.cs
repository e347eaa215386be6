namespace AnalyticsHub.TimeSeries;

/// <summary>How empty time buckets are filled.</summary>
public enum FillStrategyKind : byte
{
    /// <summary><c>null</c>: the bucket is reported with null values.</summary>
    Null,

    /// <summary><c>previous</c>: each value repeats the last non-empty bucket's (null before the first).</summary>
    Previous,

    /// <summary><c>linear</c>: each value is interpolated between the neighbouring non-empty buckets (null at the edges).</summary>
    Linear,

    /// <summary><c>zero</c>: every value is 0.</summary>
    Zero,

    /// <summary><c>{"value": n}</c>: every value is the integer n.</summary>
    Value,
}
