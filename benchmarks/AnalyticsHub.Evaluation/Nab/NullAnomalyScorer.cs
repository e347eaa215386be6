namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The null baseline: scores every point 0, so it never detects anything (normalised NAB score 0).</summary>
public sealed class NullAnomalyScorer : IStreamingAnomalyScorer
{
    /// <inheritdoc />
    public double Score(DateTime timestamp, double value) => 0.0;
}
