namespace AnalyticsHub.Correlation;

/// <summary>A member of an open incident: its evidence, how it joined and, for an anomaly episode, when it ended.</summary>
internal sealed class IncidentMember(Evidence evidence, Affinity affinity)
{
    /// <summary>The evidence.</summary>
    public Evidence Evidence { get; } = evidence;

    /// <summary>How it joined (zero for the incident's first member).</summary>
    public Affinity Affinity { get; } = affinity;

    /// <summary>The end of an anomaly episode once it closed, else <see cref="long.MinValue"/>.</summary>
    public long EndTicks { get; set; } = long.MinValue;
}
