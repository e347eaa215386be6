namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A benign marketing surge, the negative control: half the tenants' volume rises and falls in proportion; nothing is a root cause.</summary>
internal sealed class MarketingSurgeIncident : Incident
{
    private static readonly long RampTime = 15 * SimTime.Minute;

    public MarketingSurgeIncident(IncidentSetup setup)
        : base(setup)
    {
        Truth.NegativeControl = true;
        Truth.AddStage("volume_surge", Start);
        var pairs = new HashSet<(int Model, int Region)>();
        foreach (var tenant in World.Tenants)
        {
            if (tenant.Index % 2 != 0)
            {
                continue;
            }

            Truth.AddSeries(-1, "token_cost", "total_cost_usd", "sum", Start, End, ("tenant", tenant.Id));
            foreach (var model in tenant.PrimaryModel)
            {
                pairs.Add((model, tenant.Region));
            }
        }

        // The surging tenants' main models in their home regions: their window aggregates rise with the volume.
        foreach (var (model, region) in pairs.OrderBy(p => p.Model).ThenBy(p => p.Region))
        {
            Truth.AddSeries(0, "throughput", "requests_per_second", "sum", Start, End, ("model_id", World.Models[model].Id), ("region", World.Regions[region]));
        }
    }

    public override bool BoostsRate => true;

    public override bool InScope(RequestDraft draft) => draft.Tenant.Index % 2 == 0 && !draft.Batch;

    public override double RateMultiplier(TenantProfile tenant, long ticks)
    {
        if (tenant.Index % 2 != 0 || ticks < Start || ticks > End)
        {
            return 1.0;
        }

        var ramp = Math.Min(RampTime, (End - Start) / 2);
        var envelope = Math.Min(1.0, Math.Min(ticks - Start, End - ticks) / (double)ramp);
        return 1 + (2 * Effect * envelope);
    }
}
