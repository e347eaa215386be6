namespace AnalyticsHub.Correlation.Topology;

/// <summary>What <see cref="RootCause.RootCauseRanker.Explain"/> found for a target.</summary>
/// <param name="Outcome">Whether the target was anomalous and could be explained.</param>
/// <param name="Candidates">The ranked root-cause candidates, best first; empty means "no root cause".</param>
public sealed record TopologyExplanation(TopologyOutcome Outcome, IReadOnlyList<TopologyRootCause> Candidates)
{
    /// <summary>Gets the best candidate, or <see langword="null"/> when there is none.</summary>
    public TopologyRootCause? Root => Candidates.Count > 0 ? Candidates[0] : null;
}
