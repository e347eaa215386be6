using System.Globalization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// The observatory's window aggregates: every interval, an error-rate and a throughput event per model
/// and region that had traffic; hourly, the cost module's API-cost and GPU consumption events, and
/// every six hours a compliance check.
/// </summary>
internal sealed class AggregateSource : EventSource
{
    private readonly SimRandom _rng;
    private readonly long _interval;
    private long _nextHour;

    public AggregateSource(SimRandom rng, long start, int intervalSeconds)
    {
        _rng = rng;
        _interval = intervalSeconds * SimTime.Second;
        Next = ((start / _interval) + 1) * _interval;
        _nextHour = ((start / SimTime.Hour) + 1) * SimTime.Hour;
    }

    public override void Step(SimContext ctx)
    {
        var now = Next;
        var world = ctx.World;
        var seconds = (uint)(_interval / SimTime.Second);
        for (var m = 0; m < world.Models.Length; m++)
        {
            var model = world.Models[m];
            for (var r = 0; r < World.Regions.Length; r++)
            {
                var c = ctx.Counters[m, r];
                if (c.Requests == 0)
                {
                    continue;
                }

                var tags = SimContext.Tags(("region", World.Regions[r]), ("provider", model.Provider));
                var breakdown = new Dictionary<string, ulong>(StringComparer.Ordinal);
                Add(breakdown, "timeout", c.Timeouts);
                Add(breakdown, "server_error", c.ServerErrors);
                Add(breakdown, "rate_limited", c.RateLimited);
                Add(breakdown, "policy_blocked", c.PolicyBlocked);
                Add(breakdown, "provider_unavailable", c.Unavailable);
                var percent = 100.0 * c.Failed / c.Requests;
                var errors = ctx.Emit(
                    SourceModule.LlmObservatory,
                    now,
                    new ErrorRateMetrics
                    {
                        ModelId = model.Id,
                        TotalRequests = (ulong)c.Requests,
                        FailedRequests = (ulong)c.Failed,
                        ErrorRatePercent = Math.Round(percent, 4),
                        ErrorBreakdown = breakdown,
                        WindowDurationSeconds = seconds,
                    },
                    percent >= 10 ? Severity.Error : percent >= 3 ? Severity.Warning : Severity.Info,
                    tags,
                    _rng);
                var rps = c.Requests / (double)seconds;
                var meanLatency = c.LatencyMsSum / c.Requests / 1000;
                var throughput = ctx.Emit(
                    SourceModule.LlmObservatory,
                    now,
                    new ThroughputMetrics
                    {
                        ModelId = model.Id,
                        RequestsPerSecond = Math.Round(rps, 6),
                        TokensPerSecond = Math.Round(c.Tokens / (double)seconds, 6),
                        ConcurrentRequests = (uint)Math.Ceiling(rps * meanLatency),
                        WindowDurationSeconds = seconds,
                    },
                    Severity.Info,
                    tags,
                    _rng);
                var incidents = ctx.Incidents;
                for (var i = 0; i < incidents.Length; i++)
                {
                    var truth = incidents[i].Truth;
                    var stage = truth.AggregateStage("error_rate", model.Id, World.Regions[r], model.Provider, now - _interval, now);
                    if (stage >= 0)
                    {
                        ctx.Mark(errors, truth, stage, "effect");
                    }

                    stage = truth.AggregateStage("throughput", model.Id, World.Regions[r], model.Provider, now - _interval, now);
                    if (stage >= 0)
                    {
                        ctx.Mark(throughput, truth, stage, "effect");
                    }
                }

                c.Reset();
            }
        }

        if (now >= _nextHour)
        {
            Hourly(ctx, _nextHour);
            _nextHour += SimTime.Hour;
        }

        Next = now + _interval;
    }

    private void Hourly(SimContext ctx, long hour)
    {
        var world = ctx.World;
        var period = SimTime.ToOffset(hour - SimTime.Hour).ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture);
        for (var m = 0; m < world.Models.Length; m++)
        {
            var requests = ctx.ProviderRequests[m];
            if (requests == 0)
            {
                continue;
            }

            var model = world.Models[m];
            var cost = ctx.ProviderCost[m];
            ctx.Emit(
                SourceModule.LlmCostOps,
                hour,
                new ApiCostEvent
                {
                    Provider = model.Provider,
                    ApiEndpoint = "/v1/models/" + model.Id + "/completions",
                    RequestCount = (ulong)requests,
                    CostPerRequest = Math.Round(cost / requests, 9),
                    TotalCostUsd = Math.Round(cost, 6),
                    BillingPeriod = period,
                },
                Severity.Info,
                SimContext.Tags(("provider", model.Provider), ("model_id", model.Id)),
                _rng);
            if (model.Provider == "self-hosted")
            {
                var utilization = Math.Min(100, 100.0 * requests / 3600 / 1.5);
                ctx.Emit(
                    SourceModule.LlmCostOps,
                    hour,
                    new ResourceConsumptionEvent
                    {
                        ResourceType = ResourceType.Gpu,
                        ResourceId = "gpu-pool-" + model.Id,
                        Quantity = 4,
                        Unit = "gpu_hour",
                        CostUsd = 4 * 2.45,
                        UtilizationPercent = Math.Round(utilization, 3),
                    },
                    Severity.Info,
                    SimContext.Tags(("provider", model.Provider)),
                    _rng);
            }

            ctx.ProviderRequests[m] = 0;
            ctx.ProviderCost[m] = 0;
        }

        if (hour / SimTime.Hour % 6 == 0)
        {
            var passed = _rng.Chance(0.9);
            ctx.Emit(
                SourceModule.LlmGovernanceDashboard,
                hour,
                new ComplianceCheckEvent
                {
                    CheckId = "chk-" + _rng.NextHex(),
                    Framework = "SOC2",
                    ControlsChecked = ["CC6.1", "CC6.6", "CC7.2"],
                    Passed = passed,
                    Findings = passed
                        ? []
                        : [new ComplianceFinding { ControlId = "CC7.2", Status = ComplianceStatus.Fail, Description = "Audit log retention below 90 days on one store." }],
                    Score = passed ? 1.0 : 0.67,
                },
                passed ? Severity.Info : Severity.Warning,
                SimContext.Tags(("framework", "SOC2")),
                _rng);
        }
    }

    private static void Add(Dictionary<string, ulong> breakdown, string key, long count)
    {
        if (count > 0)
        {
            breakdown[key] = (ulong)count;
        }
    }
}
