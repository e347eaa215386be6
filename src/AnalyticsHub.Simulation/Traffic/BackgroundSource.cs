using System.Globalization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// Background security and governance events: logins, auth failures, rate-limit hits, prompt-injection
/// flags, data lineage, routine audits and the occasional benign change (scaling, config, new keys).
/// A Poisson process per kind, its rate following the traffic shape.
/// </summary>
internal sealed class BackgroundSource : EventSource
{
    // Per-second rates at a weekday peak, relative to a peak of 1 request per second.
    private static readonly double[] Rates =
    [
        0.02,     // login
        0.0025,   // auth failure
        0.0015,   // rate-limit hit
        0.0008,   // prompt-injection flag
        0.0012,   // data lineage
        0.0015,   // routine audit (export, view)
        0.00007,  // scaling change
        0.00004,  // config change
        0.00002,  // key created
    ];

    private static readonly string[] Places = ["us-east-1", "eu-west-1", "us-west-2"];

    private readonly SimRandom _rng;
    private readonly double _scale;
    private readonly double _total;

    public BackgroundSource(SimRandom rng, long start, double peakRequestsPerSecond)
    {
        _rng = rng;
        _scale = Math.Max(0.2, Math.Sqrt(peakRequestsPerSecond));
        foreach (var rate in Rates)
        {
            _total += rate;
        }

        Next = start;
    }

    public override void Step(SimContext ctx)
    {
        var now = Next;
        if (now > ctx.Start)
        {
            Emit(ctx, now, Pick());
        }

        // A thinning bound: the shape never exceeds 1, so draw at the peak rate and keep a share.
        while (true)
        {
            now += (long)(_rng.Exponential(_total * _scale) * SimTime.Second);
            if (_rng.NextDouble() < SimTime.Shape(now) || now > ctx.End)
            {
                break;
            }
        }

        Next = now;
    }

    private int Pick()
    {
        var u = _rng.NextDouble() * _total;
        for (var i = 0; i < Rates.Length; i++)
        {
            u -= Rates[i];
            if (u < 0)
            {
                return i;
            }
        }

        return 0;
    }

    private void Emit(SimContext ctx, long now, int kind)
    {
        var tenant = ctx.World.Tenants[_rng.Next(ctx.World.Tenants.Length)];
        var user = tenant.Users[_rng.Next(tenant.Users.Length)];
        var tags = SimContext.Tags(("tenant", tenant.Id), ("region", World.Regions[tenant.Region]));
        switch (kind)
        {
            case 0:
                ctx.Emit(SourceModule.LlmSentinel, now, new AuthEvent { UserId = user, Action = AuthAction.Login, Resource = "api-gateway", Success = true }, Severity.Info, tags, _rng);
                break;
            case 1:
                ctx.Emit(
                    SourceModule.LlmSentinel,
                    now,
                    new AuthEvent { UserId = user, Action = AuthAction.Login, Resource = "api-gateway", Success = false, FailureReason = _rng.Chance(0.6) ? "invalid_credentials" : "expired_token" },
                    Severity.Warning,
                    tags,
                    _rng);
                break;
            case 2:
                ctx.Emit(
                    SourceModule.LlmSentinel,
                    now,
                    new AuthEvent { UserId = user, Action = AuthAction.AccessAttempt, Resource = "api-gateway", Success = false, FailureReason = "rate_limited" },
                    Severity.Warning,
                    tags,
                    _rng);
                break;
            case 3:
                ctx.Emit(
                    SourceModule.LlmSentinel,
                    now,
                    new ThreatEvent
                    {
                        ThreatId = "thr-" + _rng.NextHex(),
                        ThreatType = ThreatType.PromptInjection,
                        ThreatLevel = _rng.Chance(0.8) ? ThreatLevel.Low : ThreatLevel.Medium,
                        SourceIp = Ip(),
                        TargetResource = "feature:" + World.CatalogFeatures[_rng.Next(World.BatchFeature)].Name,
                        AttackVector = "prompt",
                        MitigationStatus = MitigationStatus.Blocked,
                        IndicatorsOfCompromise = ["ignore previous instructions"],
                    },
                    Severity.Warning,
                    tags,
                    _rng);
                break;
            case 4:
                ctx.Emit(
                    SourceModule.LlmGovernanceDashboard,
                    now,
                    new DataLineageEvent
                    {
                        DataAssetId = "dataset-" + tenant.Id + "-conversations",
                        Operation = _rng.Chance(0.7) ? DataOperation.Read : DataOperation.Aggregate,
                        Source = "warehouse.conversations",
                        Destination = "analytics.daily_rollup",
                        LineagePath = ["ingest", "warehouse", "rollup"],
                    },
                    Severity.Info,
                    tags,
                    _rng);
                break;
            case 5:
                ctx.Emit(
                    SourceModule.LlmGovernanceDashboard,
                    now,
                    new AuditTrailEvent { Action = _rng.Chance(0.5) ? "export_report" : "view_dashboard", Actor = user, ResourceType = "dashboard", ResourceId = "dash-" + tenant.Id },
                    Severity.Info,
                    tags,
                    _rng);
                break;
            case 6:
                ctx.Emit(
                    SourceModule.LlmRegistry,
                    now,
                    new AuditTrailEvent
                    {
                        Action = "scaling_change",
                        Actor = "autoscaler",
                        ResourceType = "inference_pool",
                        ResourceId = "pool-" + Places[_rng.Next(Places.Length)],
                        Changes = Changes.Of(("replicas_from", (4 + _rng.Next(4)).ToString(CultureInfo.InvariantCulture)), ("replicas_to", (6 + _rng.Next(6)).ToString(CultureInfo.InvariantCulture))),
                    },
                    Severity.Info,
                    SimContext.Tags(("region", Places[_rng.Next(Places.Length)])),
                    _rng);
                break;
            case 7:
                ctx.Emit(
                    SourceModule.LlmGovernanceDashboard,
                    now,
                    new AuditTrailEvent
                    {
                        Action = "config_change",
                        Actor = "ops-" + (1 + _rng.Next(5)).ToString(CultureInfo.InvariantCulture),
                        ResourceType = "gateway_config",
                        ResourceId = "gateway-" + tenant.Id,
                        Changes = Changes.Of(("setting", "log_level"), ("to", _rng.Chance(0.5) ? "debug" : "info")),
                    },
                    Severity.Info,
                    tags,
                    _rng);
                break;
            default:
                ctx.Emit(
                    SourceModule.LlmGovernanceDashboard,
                    now,
                    new AuditTrailEvent { Action = "key_created", Actor = user, ResourceType = "api_key", ResourceId = "key-" + tenant.Id + "-" + _rng.NextHex()[..6] },
                    Severity.Info,
                    tags,
                    _rng);
                break;
        }
    }

    private string Ip() => string.Create(CultureInfo.InvariantCulture, $"203.0.113.{1 + _rng.Next(254)}");
}
