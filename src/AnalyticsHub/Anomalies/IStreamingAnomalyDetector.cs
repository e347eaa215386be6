namespace AnalyticsHub.Anomalies;

/// <summary>A streaming anomaly detector for one series: it sees one point at a time, in time order, and scores it before learning from it.</summary>
/// <remarks>
/// One instance holds the state of one series and is not thread-safe. It never looks ahead: the result
/// for a point depends only on that point and the ones before it, and the point under test is never
/// part of its own baseline. Memory is bounded and fixed at construction (<see cref="StateSizeBytes"/>).
/// Event time rules: a point time-stamped before the latest one seen is late and must not corrupt the
/// state (<see cref="DefaultAnomalyDetector"/> counts it, scores it 0 and learns nothing from it).
/// </remarks>
public interface IStreamingAnomalyDetector
{
    /// <summary>Gets the number of points seen so far (non-finite values are not counted).</summary>
    long PointsSeen { get; }

    /// <summary>Gets the approximate number of bytes of state this detector holds; constant after construction.</summary>
    int StateSizeBytes { get; }

    /// <summary>Scores the next point of the series, then learns from it.</summary>
    /// <param name="timestamp">The point's timestamp; gaps and irregular steps are fine.</param>
    /// <param name="value">The point's value; a non-finite value scores 0 and is not learned.</param>
    /// <returns>The score, expectation, band and kind of the point.</returns>
    AnomalyResult Update(DateTimeOffset timestamp, double value);

    /// <summary>Forgets everything learned, as if newly created.</summary>
    void Reset();
}
