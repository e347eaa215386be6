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
    public double BaseCostUsd;
    public int LatencyItem;
    public int UsageItem;
    public int CostItem;
    public bool RetryScheduled;
}
