namespace AnalyticsHub.Correlation.Topology;

/// <summary>The violation to explain: an entity's metric at a time (e.g. the front end's average latency at 10:05).</summary>
/// <param name="Entity">The entity whose metric is violated.</param>
/// <param name="Metric">The violated metric, named as in the <see cref="TopologySeries"/>.</param>
/// <param name="Time">When the violation was seen; the ranker analyses the observation that holds it and its neighbours.</param>
public sealed record TopologyTarget(string Entity, string Metric, DateTimeOffset Time);
