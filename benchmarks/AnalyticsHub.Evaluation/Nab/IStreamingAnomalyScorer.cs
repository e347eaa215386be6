namespace AnalyticsHub.Evaluation.Nab;

/// <summary>A streaming anomaly detector for one series: it sees one point at a time, in time order, and scores it.</summary>
/// <remarks>
/// One instance serves one series; it is not thread-safe. It must not look ahead or see labels.
/// A score of 0 means normal and 1 certainly anomalous; the harness turns scores into detections with
/// a threshold (score &gt;= threshold).
/// </remarks>
public interface IStreamingAnomalyScorer
{
    /// <summary>Scores the next point of the series, then learns from it.</summary>
    /// <param name="timestamp">The point's timestamp (UTC), not earlier than the previous one.</param>
    /// <param name="value">The point's value.</param>
    /// <returns>The anomaly score in [0, 1].</returns>
    double Score(DateTime timestamp, double value);
}
