using System.Globalization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>An unrelated anomaly with no cause in the stream: a latency blip, an auth-failure burst or a cost blip.</summary>
internal sealed class DistractorIncident : Incident
{
    private readonly int _kind;
    private readonly int _model;
    private readonly TenantProfile _tenant;

    public DistractorIncident(IncidentSetup setup, int kind)
        : base(setup)
    {
        _kind = kind % 3;
        var shares = World.ExpectedModelShare;
        _model = World.TopModel == 0 ? 1 : 0;
        for (var m = 0; m < shares.Length; m++)
        {
            if (m != World.TopModel && shares[m] > shares[_model])
            {
                _model = m;
            }
        }

        _tenant = World.Tenants[World.Tenants.Length - 1];
        switch (_kind)
        {
            case 0:
                Truth.AddSeries(-1, "latency", "total_latency_ms", "mean", Start, End, ("model_id", World.Models[_model].Id));
                break;
            case 1:
                Truth.AddSeries(-1, "auth", "count", "sum", Start, End);
                break;
            default:
                Truth.AddSeries(-1, "token_cost", "total_cost_usd", "sum", Start, End, ("tenant", _tenant.Id));
                break;
        }
    }

    public string Kind => _kind switch
    {
        0 => "latency_blip",
        1 => "auth_failure_burst",
        _ => "cost_blip",
    };

    public override void Shape(RequestDraft draft, ref RequestEffects effects)
    {
        if (draft.Ticks > End)
        {
            return;
        }

        if (_kind == 0 && draft.RequestedModel == _model)
        {
            effects.LatencyMultiplier *= 1 + (3 * Effect);
            effects.LatencyBy = Index;
        }
        else if (_kind == 2 && draft.Tenant == _tenant)
        {
            effects.CompletionMultiplier *= 1 + (4 * Effect);
            effects.CompletionBy = Index;
        }
    }

    public override void Plan(ScheduledSource schedule, List<EventSource> sources)
    {
        if (_kind != 1)
        {
            return;
        }

        var count = 30 + Rng.Next(30);
        var ip = string.Create(CultureInfo.InvariantCulture, $"192.0.2.{1 + Rng.Next(254)}");
        var tenant = _tenant.Id;
        for (var i = 0; i < count; i++)
        {
            var at = Start + (long)(Rng.NextDouble() * (End - Start));
            var user = "admin" + Rng.Next(5).ToString(CultureInfo.InvariantCulture);
            schedule.Add(at, (ctx, rng) => ctx.Emit(
                SourceModule.LlmSentinel,
                at,
                new AuthEvent { UserId = user, Action = AuthAction.Login, Resource = "console", Success = false, FailureReason = "invalid_credentials" },
                Severity.Warning,
                SimContext.Tags(("tenant", tenant), ("source_ip", ip)),
                rng));
        }
    }

    public DistractorTruth Build() => new()
    {
        Kind = Kind,
        Start = SimTime.ToOffset(Start),
        End = SimTime.ToOffset(End),
        AffectedSeries = Truth.Series,
    };
}
