using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A leaked API key: auth from a new place → usage surge on a model the tenant never uses → cost spike → data-exfiltration violation.</summary>
internal sealed class LeakedApiKeyIncident : Incident
{
    private const string AttackerIp = "198.51.100.23";

    private readonly TenantProfile _tenant;
    private readonly int _model;
    private readonly long _surgeOnset;
    private readonly long _exfiltrationAt;
    private readonly double _rate;
    private readonly string _keyUser;
    private long _requests;

    public LeakedApiKeyIncident(IncidentSetup setup)
        : base(setup)
    {
        _tenant = World.Tenants[1 % World.Tenants.Length];
        _model = PickUnusualModel(_tenant);
        _keyUser = "key-" + _tenant.Id + "-ci";
        _rate = Math.Max(0.02, 0.15 * Effect * Traffic.PeakRequestsPerSecond);
        var lag1 = Lag(180);
        var lag3 = Lag(600);
        _surgeOnset = Start + SimTime.FromSeconds(lag1);
        _exfiltrationAt = Math.Min(_surgeOnset + SimTime.FromSeconds(lag3), End);
        var t = Truth;
        t.AddStage("auth_from_new_location", Start);
        t.AddStage("usage_surge", _surgeOnset);
        t.AddStage("cost_spike", _surgeOnset);
        t.AddStage("data_exfiltration", _exfiltrationAt);
        t.AddStage("key_revoked", End);
        t.Link(0, 1, "direct_cause", lag1);
        t.Link(1, 2, "direct_cause", 0);
        t.Link(1, 3, "direct_cause", SimTime.Seconds(_exfiltrationAt - _surgeOnset));
        var id = World.Models[_model].Id;
        t.AddSeries(2, "token_cost", "total_cost_usd", "sum", _surgeOnset, End, ("model_id", id), ("tenant", _tenant.Id));
        t.AddSeries(1, "token_usage", "total_tokens", "sum", _surgeOnset, End, ("model_id", id), ("tenant", _tenant.Id));
        t.AddSeries(1, "auth", "count", "sum", _surgeOnset, End, ("tenant", _tenant.Id), ("source_ip", AttackerIp));
        // The attacker's requests run in the tenant's home region, on a model it never uses: listed when they
        // are a material share of that series' traffic.
        AddVolumeSeries(1, _surgeOnset, _surgeOnset, End, End - _surgeOnset, [(_model, _tenant.Region, _rate, "attacker")]);
    }

    public override void OnRequest(SimContext ctx, RequestDraft draft, in RequestEffects effects, in RequestOutcome outcome)
    {
        if (draft.Attacker != Index)
        {
            return;
        }

        IncidentMarkers.Onset(ctx, Truth, 1, outcome.LatencyItem);
        IncidentMarkers.Onset(ctx, Truth, 2, outcome.CostItem);
        if (draft.Attempt == 0 && _requests++ % 20 == 0)
        {
            var item = ctx.Emit(
                SourceModule.LlmSentinel,
                draft.Ticks,
                new AuthEvent { UserId = _keyUser, Action = AuthAction.AccessAttempt, Resource = "model:" + World.Models[_model].Id, Success = true },
                Severity.Info,
                SimContext.Tags(("tenant", _tenant.Id), ("source_ip", AttackerIp), ("geo", "sa-east-1")),
                Rng);
            ctx.Mark(item, Truth, 1, "contributor");
        }
    }

    public override void Plan(ScheduledSource schedule, List<EventSource> sources)
    {
        sources.Add(new RequestSource(TrafficKind.Attacker, _tenant, _rate, new SimRandom(Rng.NextUInt64()), _surgeOnset, _surgeOnset, End, _model, Index));
        var truth = Truth;
        var start = Start;
        var emit = Clamp(Start + LateRoot, EndOfScenario);
        var tags = SimContext.Tags(("tenant", _tenant.Id), ("source_ip", AttackerIp), ("geo", "sa-east-1"));
        var user = _keyUser;
        schedule.Add(emit, (ctx, rng) =>
        {
            var item = ctx.Emit(SourceModule.LlmSentinel, start, new AuthEvent { UserId = user, Action = AuthAction.Login, Resource = "api-gateway", Success = true }, Severity.Info, tags, rng, emitTicks: emit);
            IncidentMarkers.SetRoot(truth, ctx.Outbox[item].Event, "auth", start, emit);
            ctx.Mark(item, truth, 0, "root_cause");
        });

        var at = _exfiltrationAt;
        var model = World.Models[_model].Id;
        var tenant = _tenant.Id;
        schedule.Add(at, (ctx, rng) =>
        {
            var threat = ctx.Emit(
                SourceModule.LlmSentinel,
                at,
                new ThreatEvent
                {
                    ThreatId = "thr-" + rng.NextHex(),
                    ThreatType = ThreatType.DataExfiltration,
                    ThreatLevel = ThreatLevel.High,
                    SourceIp = AttackerIp,
                    TargetResource = "model:" + model,
                    AttackVector = "api_key",
                    MitigationStatus = MitigationStatus.Detected,
                    IndicatorsOfCompromise = [AttackerIp, user],
                },
                Severity.Error,
                tags,
                rng);
            ctx.Mark(threat, truth, 3, "effect");
        });
        schedule.Add(at + (5 * SimTime.Second), (ctx, rng) =>
        {
            var violation = ctx.Emit(
                SourceModule.LlmPolicyEngine,
                at + (5 * SimTime.Second),
                new PolicyViolationEvent
                {
                    PolicyId = "pol-data-exfiltration",
                    PolicyName = "Data exfiltration guard",
                    ViolationDescription = "Bulk extraction of conversation data through an API key from an unknown network.",
                    ViolatedRules = ["max_records_per_key", "known_networks_only"],
                    ResourceId = "tenant:" + tenant,
                    UserId = user,
                    Severity = PolicyViolationSeverity.High,
                    AutoRemediated = false,
                },
                Severity.Error,
                SimContext.Tags(("tenant", tenant)),
                rng);
            ctx.Mark(violation, truth, 3, "effect");
        });
        IncidentMarkers.Audit(schedule, Truth, 4, "related", End, End, SourceModule.LlmGovernanceDashboard, "key_revoked", "security-oncall",
            "api_key", user, Changes.Of(("reason", "suspected leak")), SimContext.Tags(("tenant", tenant)));
    }

    private static int PickUnusualModel(TenantProfile tenant)
    {
        int[] candidates = [3, 0, 2, 5];
        foreach (var candidate in candidates)
        {
            if (Array.IndexOf(tenant.PrimaryModel, candidate) < 0 && Array.IndexOf(tenant.SecondaryModel, candidate) < 0)
            {
                return candidate;
            }
        }

        return 2;
    }
}
