namespace AnalyticsHub.Correlation;

/// <summary>How strongly a piece of evidence belongs to an incident: the part from shared entities and the part from time (co-onset, propagation).</summary>
/// <param name="Entity">The shared-entity part: 1 per shared specific entity, at most 0.75 from shared broad ones.</param>
/// <param name="Temporal">The time part: 1 per matched co-onset or propagation rule, 0.5 for a change preceding its effect.</param>
internal readonly record struct Affinity(double Entity, double Temporal)
{
    /// <summary>The total; evidence joins the incident with the highest total when it reaches 1.</summary>
    public double Total => Entity + Temporal;
}
