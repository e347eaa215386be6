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
        var ramp = Ramp;
        var plateauStart = Start + ramp;
        var plateauEnd = End - ramp;
        var middle = plateauStart + ((plateauEnd - plateauStart) / 2);
        var added = new List<(int Model, int Region, double AddedPerSecond, string Scope)>();
        foreach (var tenant in World.Tenants)
        {
            if (!Surges(tenant))
            {
                continue;
            }

            // A surging tenant's every interactive request is multiplied: its tokens and spend rise whole.
            Truth.AddSeries(-1, "token_cost", "total_cost_usd", "sum", Start, End, ("tenant", tenant.Id));
            Truth.AddSeries(-1, "token_usage", "total_tokens", "sum", Start, End, ("tenant", tenant.Id));
            var extra = Traffic.TenantRate(tenant, middle) * (PlateauMultiplier - 1);
            var previous = 0.0;
            for (var f = 0; f < tenant.FeatureCdf.Length; f++)
            {
                var weight = tenant.FeatureCdf[f] - previous;
                previous = tenant.FeatureCdf[f];
                added.Add((tenant.PrimaryModel[f], tenant.Region, extra * weight * TrafficModel.PrimaryShare, "primary"));
                added.Add((tenant.SecondaryModel[f], tenant.Region, extra * weight * (1 - TrafficModel.PrimaryShare), "secondary"));
            }
        }

        // The (model, home region) series of the surging tenants' primary and secondary models whose
        // window aggregates the added volume raises materially.
        AddVolumeSeries(0, Start, plateauStart, plateauEnd, End - Start - ramp, added);
    }

    private double PlateauMultiplier => 1 + (2 * Effect);

    private long Ramp => Math.Min(RampTime, (End - Start) / 2);

    public override bool BoostsRate => true;

    public override bool InScope(RequestDraft draft) => Surges(draft.Tenant) && !draft.Batch;

    public override double RateMultiplier(TenantProfile tenant, long ticks)
    {
        if (!Surges(tenant) || ticks < Start || ticks > End)
        {
            return 1.0;
        }

        var envelope = Math.Min(1.0, Math.Min(ticks - Start, End - ticks) / (double)Ramp);
        return 1 + ((PlateauMultiplier - 1) * envelope);
    }

    private static bool Surges(TenantProfile tenant) => tenant.Index % 2 == 0;
}
