namespace AnalyticsHub.Metrics;

/// <summary>The result of evaluating a composite metric for one window.</summary>
/// <param name="Status">Whether a value was computed, and why not.</param>
/// <param name="Metric">The composite metric when <see cref="Status"/> is <see cref="CompositeEvaluationStatus.Computed"/>; otherwise <see langword="null"/>.</param>
public readonly record struct CompositeEvaluation(CompositeEvaluationStatus Status, CompositeMetric? Metric);
