using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A policy misconfiguration → blocks rise across tenants → 4xx → retries → audit events.</summary>
internal sealed class PolicyMisconfigurationIncident : Incident
{
    private const string PolicyId = "pol-content-filter";

    private readonly long _blockOnset;
    private readonly long _auditOnset;

    public PolicyMisconfigurationIncident(IncidentSetup setup, long interval)
        : base(setup)
    {
        var lag1 = Lag(60);
        const double lag3 = 3;
        var lag4 = Lag(300);
        _blockOnset = Start + SimTime.FromSeconds(lag1);
        _auditOnset = Math.Min(_blockOnset + SimTime.FromSeconds(lag4), End);
        var t = Truth;
        t.AddStage("policy_update", Start);
        t.AddStage("blocks", _blockOnset);
        t.AddStage("client_errors", _blockOnset);
        t.AddStage("retries", _blockOnset + SimTime.FromSeconds(lag3));
        t.AddStage("audit_events", _auditOnset);
        t.AddStage("rollback", End);
        t.Link(0, 1, "direct_cause", lag1);
        t.Link(1, 2, "direct_cause", 0);
        t.Link(2, 3, "direct_cause", lag3);
        t.Link(1, 4, "indirect_cause", SimTime.Seconds(_auditOnset - _blockOnset));
        t.AddSeries(1, "policy_violation", "count", "sum", _blockOnset, End, ("policy_id", PolicyId));
        // Blocks hit every interactive request, so the error rate of every model tenants mainly use rises (a model only
        // reached by the 15 % secondary share may carry no traffic at all, and would make an empty series).
        var used = new SortedSet<int>();
        foreach (var tenant in World.Tenants)
        {
            used.UnionWith(tenant.PrimaryModel);
        }

        foreach (var model in used)
        {
            t.AddSeries(2, "error_rate", "error_rate_percent", "mean", _blockOnset, End + interval, ("model_id", World.Models[model].Id));
        }
    }

    public override bool InScope(RequestDraft draft) => !draft.Batch;

    public override void Shape(RequestDraft draft, ref RequestEffects effects)
    {
        if (draft.Batch || draft.Ticks < _blockOnset || draft.Ticks > End)
        {
            return;
        }

        effects.BlockProbability = Math.Min(0.9, 0.2 * Effect);
        effects.BlockBy = Index;
    }

    public override void OnRequest(SimContext ctx, RequestDraft draft, in RequestEffects effects, in RequestOutcome outcome)
    {
        if (outcome.CausedBy == Index)
        {
            var violation = ctx.Emit(
                SourceModule.LlmPolicyEngine,
                draft.Ticks,
                new PolicyViolationEvent
                {
                    PolicyId = PolicyId,
                    PolicyName = "Content filter",
                    ViolationDescription = "Request blocked by the content filter.",
                    ViolatedRules = ["toxicity_threshold"],
                    ResourceId = "feature:" + World.CatalogFeatures[draft.Feature].Name,
                    UserId = draft.Tenant.Users[draft.User],
                    Severity = PolicyViolationSeverity.Medium,
                    AutoRemediated = true,
                },
                Severity.Warning,
                SimContext.Tags(("tenant", draft.Tenant.Id), ("policy_id", PolicyId)),
                Rng,
                draft.CorrelationId);
            ctx.Mark(violation, Truth, 1, "effect");

            IncidentMarkers.Onset(ctx, Truth, 2, outcome.LatencyItem);
        }

        if (draft.RetryCause == Index && draft.Attempt > 0)
        {
            IncidentMarkers.Onset(ctx, Truth, 3, outcome.LatencyItem);
        }
    }

    public override void Plan(ScheduledSource schedule, List<EventSource> sources)
    {
        var tags = SimContext.Tags(("policy_id", PolicyId));
        IncidentMarkers.Audit(schedule, Truth, 0, "root_cause", Start, Clamp(Start + LateRoot, EndOfScenario), SourceModule.LlmPolicyEngine,
            "policy_update", "policy-admin", "policy", PolicyId, Changes.Of(("rule", "toxicity_threshold"), ("from", "0.85"), ("to", "0.15")), tags);
        for (var at = _auditOnset; at < End; at += 5 * SimTime.Minute)
        {
            IncidentMarkers.Audit(schedule, Truth, 4, "effect", at, at, SourceModule.LlmGovernanceDashboard, "blocked_requests_review", "policy-engine",
                "policy", PolicyId, Changes.Of(("window", "5m")), tags);
        }

        IncidentMarkers.Audit(schedule, Truth, 5, "related", End, End, SourceModule.LlmPolicyEngine, "rollback", "policy-admin",
            "policy", PolicyId, Changes.Of(("rule", "toxicity_threshold"), ("from", "0.15"), ("to", "0.85")), tags);
    }
}
