using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Metrics;

/// <summary>The metrics domain's hand-offs between pipeline stages.</summary>
public static class MetricsHandOffs
{
    /// <summary>
    /// The metric windows a batch closed, finest windows first, produced by the <c>metrics</c> stage (empty when it
    /// closed none). The list and each window's <see cref="ClosedWindow.Sketch"/> (a copy) are valid while the batch goes
    /// through the stages: the metrics stage reuses both for a later batch, so copy the windows and clone a sketch to keep them.
    /// </summary>
    public static HandOff<IReadOnlyList<ClosedWindow>> ClosedWindows { get; } =
        HandOff.Produced<IReadOnlyList<ClosedWindow>>("metrics.closed_windows", Array.Empty<ClosedWindow>());

    /// <summary>
    /// The composite metrics (cross-module metrics, their per-window scores and the host's composites) computed from the
    /// windows a batch closed, each with the values of its definition's dimensions; produced by the <c>composite_metrics</c> stage.
    /// </summary>
    public static HandOff<IReadOnlyList<CompositeMetricValue>> CompositeMetrics { get; } =
        HandOff.Produced<IReadOnlyList<CompositeMetricValue>>("metrics.composite_metrics", Array.Empty<CompositeMetricValue>());
}
