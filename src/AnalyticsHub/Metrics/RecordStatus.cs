namespace AnalyticsHub.Metrics;

/// <summary>What happened to a point given to <see cref="WindowedAggregator.Record(MetricKey, DateTimeOffset, double)"/>.</summary>
public enum RecordStatus
{
    /// <summary>The point was added to its window.</summary>
    Recorded,

    /// <summary>The point's window had already closed (it is later than the allowed lateness); it was counted, not added.</summary>
    Late,

    /// <summary>The value was NaN or infinite; it was counted, not added.</summary>
    InvalidValue,

    /// <summary>The key was not issued by this aggregator.</summary>
    UnknownKey,

    /// <summary>The series was new and the aggregator already tracks <see cref="WindowedAggregatorOptions.MaxKeys"/> series; it was counted, not added.</summary>
    KeyLimitReached,
}
