namespace AnalyticsHub.Simulation.Traffic;

/// <summary>How a request attempt came out, its counterfactual without incidents, and where its events sit in the outbox.</summary>
internal struct RequestOutcome
{
    public RequestOutcomeKind Kind;
    public int CausedBy;
    public bool BaseFailed;
    public double LatencyMs;
    public double BaseLatencyMs;
    public double CostUsd;

    /// <summary>This attempt's cost had it gone to the requested model (no failover).</summary>
    public double CostIfUnrouted;

    /// <summary>This attempt's cost without completion growth.</summary>
    public double CostIfUnmultiplied;

    /// <summary>This attempt's cost had it succeeded.</summary>
    public double CostIfSucceeded;
    public int LatencyItem;
    public int UsageItem;
    public int CostItem;
    public bool RetryScheduled;
}
