namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// A series that deviates during an incident: which events (measurement = payload variant, tags),
/// which field, how it is bucketed, and the anomaly windows.
/// </summary>
public sealed record AffectedSeries
{
    /// <summary>The payload variant whose events make the series, e.g. <c>latency</c> or <c>token_cost</c>.</summary>
    public required string Measurement { get; init; }

    /// <summary>
    /// Tags an event must carry; <c>model_id</c> and <c>policy_id</c> are read from the payload, other keys
    /// from the event's tags.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>The payload field's wire name, e.g. <c>total_latency_ms</c>; <c>count</c> counts events.</summary>
    public required string Field { get; init; }

    /// <summary>How a bucket's values combine: <c>mean</c>, <c>sum</c> or <c>max</c>.</summary>
    public required string Aggregation { get; init; }

    /// <summary>The anomaly windows (inclusive), in true time.</summary>
    public required IReadOnlyList<TruthWindow> Windows { get; init; }
}
