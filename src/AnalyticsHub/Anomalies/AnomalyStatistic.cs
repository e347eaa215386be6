namespace AnalyticsHub.Anomalies;

/// <summary>Which statistic of a closed one-minute metric window a detector watches.</summary>
public enum AnomalyStatistic
{
    /// <summary>The mean of the window's values (latencies, percentages, per-request sizes).</summary>
    Mean = 0,

    /// <summary>The sum of the window's values (costs, token totals, event counts); a minute without values counts as 0.</summary>
    Sum = 1,

    /// <summary>The number of values in the window, i.e. the series' event rate per minute; a minute without values counts as 0.</summary>
    Count = 2,

    /// <summary>The largest value of the window.</summary>
    Max = 3,

    /// <summary>The 95th percentile of the window's values, from its quantile sketch.</summary>
    P95 = 4,
}
