using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A deploy regresses the top model's latency → timeouts → retries → token and cost spike → budget pressure.</summary>
internal sealed class DeployRegressionIncident : Incident
{
    private readonly int _model;
    private readonly long _latencyOnset;
    private readonly long _errorOnset;
    private readonly long _budgetAt;

    public DeployRegressionIncident(IncidentSetup setup, long interval)
        : base(setup)
    {
        _model = World.TopModel;
        var lag1 = Lag(90);
        var lag2 = Lag(120);
        const double lag3 = 3;
        var lag5 = Lag(600);
        _latencyOnset = Start + SimTime.FromSeconds(lag1);
        _errorOnset = _latencyOnset + SimTime.FromSeconds(lag2);
        var retryOnset = _errorOnset + SimTime.FromSeconds(lag3);
        _budgetAt = Math.Min(retryOnset + SimTime.FromSeconds(lag5), End);
        var t = Truth;
        t.AddStage("deploy", Start);
        t.AddStage("latency_regression", _latencyOnset);
        t.AddStage("errors", _errorOnset);
        t.AddStage("retries", retryOnset);
        t.AddStage("token_cost_spike", retryOnset);
        t.AddStage("budget_pressure", _budgetAt);
        t.AddStage("rollback", End);
        t.Link(0, 1, "direct_cause", lag1);
        t.Link(1, 2, "direct_cause", lag2);
        t.Link(2, 3, "direct_cause", lag3);
        t.Link(3, 4, "amplification", 0);
        t.Link(4, 5, "indirect_cause", SimTime.Seconds(_budgetAt - retryOnset));
        var id = World.Models[_model].Id;
        t.AddSeries(1, "latency", "total_latency_ms", "mean", _latencyOnset, End, ("model_id", id));
        t.AddSeries(2, "error_rate", "error_rate_percent", "mean", _errorOnset, End + interval, ("model_id", id));
        t.AddSeries(4, "token_cost", "total_cost_usd", "sum", _errorOnset, End, ("model_id", id));
    }

    public override bool InScope(RequestDraft draft) => draft.RequestedModel == _model;

    public override void Shape(RequestDraft draft, ref RequestEffects effects)
    {
        if (draft.RequestedModel != _model || draft.Ticks < _latencyOnset || draft.Ticks > End)
        {
            return;
        }

        effects.LatencyMultiplier *= 1 + (2.5 * Effect);
        effects.LatencyBy = Index;
        if (draft.Ticks >= _errorOnset)
        {
            effects.TimeoutProbability = Math.Min(0.6, 0.12 * Effect);
            effects.TimeoutBy = Index;
        }
    }

    public override void OnRequest(SimContext ctx, RequestDraft draft, in RequestEffects effects, in RequestOutcome outcome)
    {
        if (effects.LatencyBy == Index)
        {
            IncidentMarkers.Onset(ctx, Truth, 1, outcome.LatencyItem);
        }

        if (outcome.CausedBy == Index)
        {
            IncidentMarkers.Onset(ctx, Truth, 2, outcome.LatencyItem);
        }

        if (draft.RetryCause == Index && draft.Attempt > 0)
        {
            IncidentMarkers.Onset(ctx, Truth, 3, outcome.LatencyItem);
            IncidentMarkers.Onset(ctx, Truth, 4, outcome.CostItem);
        }
    }

    public override void Plan(ScheduledSource schedule, List<EventSource> sources)
    {
        var model = World.Models[_model];
        var version = "v" + (2 + Rng.Next(3)).ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Rng.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tags = SimContext.Tags(("model_id", model.Id), ("provider", model.Provider));
        IncidentMarkers.Audit(schedule, Truth, 0, "root_cause", Start, Clamp(Start + LateRoot, EndOfScenario), SourceModule.LlmRegistry, "deploy", "ci-bot",
            "model_deployment", model.Id + "-serving@" + version, Changes.Of(("image", "serving:" + version), ("previous", "serving:v1.9")), tags);
        IncidentMarkers.Audit(schedule, Truth, 6, "related", End, End, SourceModule.LlmRegistry, "rollback", "oncall-sre",
            "model_deployment", model.Id + "-serving@v1.9", Changes.Of(("image", "serving:v1.9"), ("previous", "serving:" + version)), tags);

        var tenant = World.Tenants[0];
        foreach (var candidate in World.Tenants)
        {
            if (candidate.PrimaryModel[0] == _model)
            {
                tenant = candidate;
                break;
            }
        }

        var effect = Effect;
        var budgetAt = _budgetAt;
        var truth = Truth;
        schedule.Add(budgetAt, (ctx, rng) =>
        {
            var dayFraction = Math.Max(0.05, (budgetAt % SimTime.Day) / (double)SimTime.Day);
            var spent = ctx.SpendPercent(tenant);
            var projected = Math.Round(Math.Max(100 + (10 * effect), spent / dayFraction), 2);
            var item = ctx.Emit(
                SourceModule.LlmCostOps,
                budgetAt,
                new BudgetAlertEvent
                {
                    BudgetId = tenant.BudgetId,
                    BudgetName = tenant.Id + " daily LLM spend",
                    BudgetLimitUsd = tenant.DailyBudgetUsd,
                    CurrentSpendUsd = Math.Round(spent * tenant.DailyBudgetUsd / 100, 6),
                    ThresholdPercent = projected,
                    AlertType = BudgetAlertType.Warning,
                },
                Severity.Warning,
                SimContext.Tags(("tenant", tenant.Id), ("forecast", "true")),
                rng);
            ctx.Mark(item, truth, 5, "effect");
        });
    }
}
