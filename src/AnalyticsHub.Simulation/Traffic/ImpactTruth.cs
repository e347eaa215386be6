namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// What an incident did, measured by the generator against the counterfactual of the same requests
/// without it (same random draws), over the requests in its scope.
/// </summary>
public sealed record ImpactTruth
{
    /// <summary>Mean latency of affected requests versus their counterfactual, in percent.</summary>
    public required double LatencyIncreasePercent { get; init; }

    /// <summary>The error rate added by the incident in its scope, in percentage points.</summary>
    public required double ErrorRateIncreasePercent { get; init; }

    /// <summary>Successful requests in scope versus the counterfactual, in percent (negative when throughput fell).</summary>
    public required double ThroughputChangePercent { get; init; }

    /// <summary>Cost above the counterfactual, in USD (retries, longer completions, extra volume, an attacker's usage).</summary>
    public required double AdditionalCostUsd { get; init; }

    /// <summary><see cref="AdditionalCostUsd"/> relative to the counterfactual cost of the scope, in percent.</summary>
    public required double CostIncreasePercent { get; init; }

    /// <summary>Logical requests whose outcome, latency or cost the incident changed (or added).</summary>
    public required long AffectedRequests { get; init; }

    /// <summary>Distinct users among the affected requests.</summary>
    public required long UsersAffected { get; init; }
}
