namespace AnalyticsHub.Correlation.Topology;

/// <summary>One ranked root-cause candidate of a <see cref="TopologyExplanation"/>.</summary>
/// <param name="Entity">The candidate entity.</param>
/// <param name="Score">The rank score in 0..1: <paramref name="Explained"/> × <paramref name="Own"/>.</param>
/// <param name="Explained">
/// The share of the target's deviation the candidate's deviation explains: 1 − RSS/TSS of the target's deviations
/// regressed on the candidate's through the origin with a non-negative slope (the counterfactual: how much of the
/// target's deviation is left had the candidate not deviated).
/// </param>
/// <param name="Own">
/// The share of the candidate's deviation its own anomalous dependencies do not explain (1 when none is anomalous):
/// a root's deviation is its own, a symptom's is its dependency's.
/// </param>
/// <param name="Onset">The first analysed observation at which the candidate's deviation reached the threshold.</param>
/// <param name="PeakDeviation">The largest absolute deviation of the candidate in the analysed window, in robust standard deviations.</param>
public sealed record TopologyRootCause(string Entity, double Score, double Explained, double Own, DateTimeOffset Onset, double PeakDeviation);
