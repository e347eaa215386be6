namespace AnalyticsHub.Metrics;

/// <summary>The outcome of evaluating a composite metric for one window.</summary>
public enum CompositeEvaluationStatus
{
    /// <summary>The formula gave a finite number; the composite metric is emitted.</summary>
    Computed,

    /// <summary>A component had no value in the window and the formula gave no number (it does not default the component, e.g. with <c>coalesce</c>); nothing is emitted.</summary>
    MissingComponents,

    /// <summary>Every component had a value but the formula gave no number (division by zero, log of a negative, overflow); nothing is emitted.</summary>
    Undefined,
}
