namespace AnalyticsHub.Metrics;

/// <summary>Receives the composite metrics a <see cref="CompositeMetricEvaluator"/> computes.</summary>
public interface ICompositeMetricSink
{
    /// <summary>Called once per composite definition and window whose formula gave a number.</summary>
    /// <param name="metric">The composite metric.</param>
    /// <param name="tags">The values of the definition's dimensions this value is for; empty without dimensions.</param>
    void OnCompositeMetric(CompositeMetric metric, IReadOnlyDictionary<string, string> tags);
}
