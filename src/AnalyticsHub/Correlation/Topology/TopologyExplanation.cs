namespace AnalyticsHub.Correlation.Topology;

/// <summary>What <see cref="TopologyRootCauseRanker.Explain"/> found for a target.</summary>
/// <param name="Outcome">Whether the target was anomalous and could be explained.</param>
/// <param name="Candidates">The ranked root-cause candidates, best first; empty means "no root cause".</param>
public sealed record TopologyExplanation(TopologyOutcome Outcome, IReadOnlyList<TopologyRootCause> Candidates)
{
    /// <summary>Gets the best candidate, or <see langword="null"/> when there is none.</summary>
    public TopologyRootCause? Root => Candidates.Count > 0 ? Candidates[0] : null;
}

/// <summary>Why a <see cref="TopologyExplanation"/> has the candidates it has.</summary>
public enum TopologyOutcome
{
    /// <summary>The target was anomalous; the candidates explain it.</summary>
    Explained,

    /// <summary>The target's metric did not deviate beyond the threshold around the target time: no root cause.</summary>
    TargetNotAnomalous,

    /// <summary>The target has no abnormal series, too few normal values, or is not in the graph: nothing to explain.</summary>
    TargetUnknown,
}
