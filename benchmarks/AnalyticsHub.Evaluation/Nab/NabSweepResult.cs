namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The best threshold found by a hindsight sweep over a set of files, and its score.</summary>
/// <param name="Profile">The profile the sweep maximised.</param>
/// <param name="Threshold">The highest threshold reaching the best raw score.</param>
/// <param name="Raw">The best raw score.</param>
/// <param name="Normalised">The best normalised score, or <see langword="null"/> when there is no window.</param>
public readonly record struct NabSweepResult(NabProfile Profile, double Threshold, double Raw, double? Normalised);
