namespace AnalyticsHub.Anomalies;

/// <summary>What a streaming detector says about one point: how anomalous it is, what was expected and why.</summary>
/// <param name="Score">The anomaly score in [0, 1]; higher is more anomalous. A point is an anomaly when it reaches the detector's threshold.</param>
/// <param name="IsAnomaly">Whether the score reached the threshold (and the detector was not in its alarm-suppression period).</param>
/// <param name="Expected">The value the detector expected (the baseline of the component that scored highest), or the observed value while warming up.</param>
/// <param name="Lower">The lower edge of the band of normal values around <paramref name="Expected"/>.</param>
/// <param name="Upper">The upper edge of the band of normal values around <paramref name="Expected"/>.</param>
/// <param name="Deviation">The observed value minus <paramref name="Expected"/>.</param>
/// <param name="Type">The kind of deviation, from the component that scored highest.</param>
public readonly record struct AnomalyResult(
    double Score,
    bool IsAnomaly,
    double Expected,
    double Lower,
    double Upper,
    double Deviation,
    AnomalyType Type);
