using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A prompt-template change (the chat prompt of the model serving most chat traffic) → completion tokens per request ramp up → a slow cost drift.</summary>
internal sealed class PromptTemplateChangeIncident : Incident
{
    private const int Feature = 0;
    private static readonly long Ramp = 60 * SimTime.Minute;

    private readonly long _growthOnset;
    private readonly long _costOnset;
    private readonly int _model;

    public PromptTemplateChangeIncident(IncidentSetup setup)
        : base(setup)
    {
        var lag1 = Lag(300);
        var lag2 = Lag(1800);
        _growthOnset = Start + SimTime.FromSeconds(lag1);
        _costOnset = Math.Min(_growthOnset + SimTime.FromSeconds(lag2), End);
        var t = Truth;
        t.AddStage("prompt_template_change", Start);
        t.AddStage("completion_growth", _growthOnset);
        t.AddStage("cost_drift", _costOnset);
        t.Link(0, 1, "direct_cause", lag1);
        t.Link(1, 2, "direct_cause", SimTime.Seconds(_costOnset - _growthOnset));
        var name = World.CatalogFeatures[Feature].Name;
        _model = BusiestModel(World);
        var model = World.Models[_model].Id;
        t.AddSeries(1, "token_usage", "completion_tokens", "mean", _growthOnset, End, ("feature", name), ("model_id", model));
        t.AddSeries(2, "token_cost", "total_cost_usd", "sum", _costOnset, End, ("feature", name), ("model_id", model));
        // Completions grow, requests do not: the model's window aggregates show it in tokens per second.
        t.AddSeries(1, "throughput", "tokens_per_second", "mean", _growthOnset, End, ("model_id", model));
    }

    /// <summary>The model that serves the most chat traffic (tenants' primary model for the feature, by share).</summary>
    private static int BusiestModel(World world)
    {
        var share = new double[world.Models.Length];
        foreach (var tenant in world.Tenants)
        {
            share[tenant.PrimaryModel[Feature]] += tenant.Share;
        }

        var best = 0;
        for (var m = 1; m < share.Length; m++)
        {
            if (share[m] > share[best])
            {
                best = m;
            }
        }

        return best;
    }

    public override bool InScope(RequestDraft draft) => draft.Feature == Feature && draft.RequestedModel == _model;

    public override void Shape(RequestDraft draft, ref RequestEffects effects)
    {
        if (!InScope(draft) || draft.Ticks < _growthOnset || draft.Ticks > End)
        {
            return;
        }

        var progress = Math.Min(1.0, (draft.Ticks - _growthOnset) / (double)Ramp);
        effects.CompletionMultiplier *= 1 + (1.5 * Effect * progress);
        effects.CompletionBy = Index;
    }

    public override void OnRequest(SimContext ctx, RequestDraft draft, in RequestEffects effects, in RequestOutcome outcome)
    {
        if (effects.CompletionBy != Index)
        {
            return;
        }

        IncidentMarkers.Onset(ctx, Truth, 1, outcome.UsageItem);
        if (draft.Ticks >= _costOnset)
        {
            IncidentMarkers.Onset(ctx, Truth, 2, outcome.CostItem);
        }
    }

    public override void Plan(ScheduledSource schedule, List<EventSource> sources)
    {
        var name = World.CatalogFeatures[Feature].Name;
        IncidentMarkers.Audit(schedule, Truth, 0, "root_cause", Start, Clamp(Start + LateRoot, EndOfScenario), SourceModule.LlmGovernanceDashboard,
            "prompt_template_change", "pm-" + name, "prompt_template", "prompt:" + name + "/" + World.Models[_model].Id + "/system@v8",
            Changes.Of(("from", "v7"), ("to", "v8"), ("summary", "answer with step-by-step explanations")), SimContext.Tags(("feature", name), ("model_id", World.Models[_model].Id)));
    }
}
