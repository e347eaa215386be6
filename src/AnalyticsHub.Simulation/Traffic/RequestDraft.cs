namespace AnalyticsHub.Simulation.Traffic;

/// <summary>One request attempt being generated: who, what, where, and the random draws that make it (kept so the counterfactual uses the same draws).</summary>
internal sealed class RequestDraft
{
    public TenantProfile Tenant = null!;
    public int Feature;
    public int RequestedModel;
    public int Model;
    public int Region;
    public int User;
    public int Attempt;
    public Guid CorrelationId;
    public string RequestId = string.Empty;
    public Guid? ParentEventId;
    public long Ticks;
    public bool Batch;
    public int Attacker = -1;

    /// <summary>The incident whose failure caused this retry, or -1.</summary>
    public int RetryCause = -1;

    /// <summary>The share of this request that would exist without incidents (1 normally, 1/m under a surge of m, 0 for an attacker).</summary>
    public double BaselineWeight = 1.0;

    public double ZPrompt;
    public double ZCompletion;
    public double UCache;
    public double UCacheWrite;
    public double UReasoning;
    public double ZTtft;
    public double ZTps;
    public double UBaseError;
    public double UIncident;
    public double UKind;
}
