namespace AnalyticsHub.Correlation.Topology;

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
