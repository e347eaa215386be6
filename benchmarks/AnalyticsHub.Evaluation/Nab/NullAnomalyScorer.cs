using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The null baseline: scores every point 0, so it never detects anything (normalised NAB score 0).</summary>
/// <remarks>Like every baseline it reports a score only: <see cref="AnomalyResult.IsAnomaly"/> is always false (the harness applies the registration's threshold) and the expected value and band are the observed value.</remarks>
public sealed class NullAnomalyScorer : IStreamingAnomalyDetector
{
    private long _pointsSeen;

    /// <inheritdoc />
    public long PointsSeen => _pointsSeen;

    /// <inheritdoc />
    public int StateSizeBytes => sizeof(long);

    /// <inheritdoc />
    public AnomalyResult Update(DateTimeOffset timestamp, double value)
    {
        if (double.IsFinite(value))
        {
            _pointsSeen++;
        }

        return new AnomalyResult(0.0, false, value, value, value, 0.0, AnomalyType.Spike);
    }

    /// <inheritdoc />
    public void Reset() => _pointsSeen = 0;
}
