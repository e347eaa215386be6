namespace AnalyticsHub.Evaluation.Nab;

/// <summary>A labelled anomaly window: an inclusive range of timestamps (UTC).</summary>
/// <param name="Start">The first timestamp inside the window.</param>
/// <param name="End">The last timestamp inside the window.</param>
public readonly record struct NabWindow(DateTime Start, DateTime End);
