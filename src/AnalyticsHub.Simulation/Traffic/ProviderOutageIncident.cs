using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A provider's regional outage (external cause) → errors → failover to another provider's model → latency and cost per request change.</summary>
internal sealed class ProviderOutageIncident : Incident
{
    private readonly int _model;
    private readonly string _provider;
    private readonly int _region;
    private readonly int _fallback;
    private readonly long _failoverAt;

    public ProviderOutageIncident(IncidentSetup setup, long interval)
        : base(setup)
    {
        _model = World.TopModel;
        _provider = World.Models[_model].Provider;
        _region = World.TopRegion;
        _fallback = 0;
        int[] candidates = [3, 0, 5, 4, 1];
        foreach (var candidate in candidates)
        {
            if (World.Models[candidate].Provider != _provider)
            {
                _fallback = candidate;
                break;
            }
        }

        var lag1 = Lag(180);
        _failoverAt = Math.Min(Start + SimTime.FromSeconds(lag1), End);
        var t = Truth;
        t.Root = new RootCauseTruth { Kind = "external", Provider = _provider, Region = World.Regions[_region] };
        t.AddStage("provider_errors", Start);
        t.AddStage("failover", _failoverAt);
        t.AddStage("latency_shift", _failoverAt);
        t.AddStage("cost_per_request_change", _failoverAt);
        t.AddStage("failback", End);
        t.Link(0, 1, "direct_cause", SimTime.Seconds(_failoverAt - Start));
        t.Link(1, 2, "direct_cause", 0);
        t.Link(1, 3, "direct_cause", 0);
        var id = World.Models[_model].Id;
        var fallback = World.Models[_fallback].Id;
        var region = World.Regions[_region];
        foreach (var model in World.Models)
        {
            // Every model of the failing provider fails in the region, then fails over.
            if (model.Provider == _provider)
            {
                t.AddSeries(0, "error_rate", "error_rate_percent", "mean", Start, _failoverAt + (2 * interval), ("model_id", model.Id), ("region", region));
                t.AddSeries(0, "throughput", "requests_per_second", "sum", Start, End, ("model_id", model.Id), ("region", region));
            }
        }

        t.AddSeries(2, "latency", "total_latency_ms", "mean", _failoverAt, End, ("model_id", fallback), ("region", region));
        t.AddSeries(3, "token_cost", "total_cost_usd", "sum", _failoverAt, End, ("model_id", fallback), ("region", region));
        t.AddSeries(1, "throughput", "requests_per_second", "sum", _failoverAt, End, ("model_id", fallback), ("region", region));
    }

    public override bool InScope(RequestDraft draft) => draft.Region == _region && World.Models[draft.RequestedModel].Provider == _provider;

    public override void Shape(RequestDraft draft, ref RequestEffects effects)
    {
        if (draft.Ticks > End || !InScope(draft))
        {
            return;
        }

        if (draft.Ticks < _failoverAt)
        {
            effects.UnavailableProbability = Math.Min(0.98, 0.85 * Effect);
            effects.UnavailableBy = Index;
        }
        else
        {
            effects.RouteModel = _fallback;
            effects.RouteBy = Index;
        }
    }

    public override void OnRequest(SimContext ctx, RequestDraft draft, in RequestEffects effects, in RequestOutcome outcome)
    {
        if (outcome.CausedBy == Index)
        {
            IncidentMarkers.Onset(ctx, Truth, 0, outcome.LatencyItem);
        }

        if (effects.RouteBy == Index)
        {
            IncidentMarkers.Onset(ctx, Truth, 2, outcome.LatencyItem);
            IncidentMarkers.Onset(ctx, Truth, 3, outcome.CostItem);
        }
    }

    public override void Plan(ScheduledSource schedule, List<EventSource> sources)
    {
        var region = World.Regions[_region];
        var from = World.Models[_model].Id;
        var to = World.Models[_fallback].Id;
        var tags = SimContext.Tags(("region", region), ("provider", _provider));
        IncidentMarkers.Audit(schedule, Truth, 1, "effect", _failoverAt, _failoverAt, SourceModule.LlmRegistry, "model_switch", "router",
            "routing_rule", "route-" + _provider + "-" + region, Changes.Of(("from", from), ("to", to), ("reason", "provider_unavailable")), tags);
        IncidentMarkers.Audit(schedule, Truth, 4, "related", End, End, SourceModule.LlmRegistry, "model_switch", "router",
            "routing_rule", "route-" + _provider + "-" + region, Changes.Of(("from", to), ("to", from), ("reason", "provider_recovered")), tags);
    }
}
