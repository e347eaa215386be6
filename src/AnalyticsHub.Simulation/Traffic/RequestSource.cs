using System.Globalization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// Requests of one tenant (or the nightly batch, or an attacker): a Poisson process whose rate follows
/// the daily and weekly shape, wanders with noise and is scaled by incidents; each attempt yields a
/// latency, token-usage and token-cost event, and failures are retried with backoff.
/// </summary>
/// <remarks>
/// The rate is re-read at every minute boundary (exponential gaps are memoryless, so a piecewise
/// constant rate is exact). Retries wait in a small heap: memory is bounded by rate × backoff.
/// </remarks>
internal sealed class RequestSource : EventSource
{
    private const int MaxAttempts = 4;

    private readonly TrafficKind _kind;
    private readonly TenantProfile _tenant;
    private readonly SimRandom _rng;
    private readonly double _baseRate;
    private readonly PriorityQueue<RetryState, long> _retries = new();
    private readonly RequestDraft _draft = new();
    private readonly long _activeFrom;
    private readonly long _activeTo;
    private readonly int _attackerModel;
    private readonly int _attackerIncident;
    private long _nextArrival;
    private bool _arrivalIsRequest;
    private bool _retryDue;
    private long _noiseMinute = -1;
    private double _noiseState;
    private double _noiseFactor = 1;

    public RequestSource(TrafficKind kind, TenantProfile tenant, double baseRate, SimRandom rng, long start, long activeFrom = 0, long activeTo = long.MaxValue, int attackerModel = -1, int attackerIncident = -1)
    {
        _kind = kind;
        _tenant = tenant;
        _baseRate = baseRate;
        _rng = rng;
        _activeFrom = activeFrom;
        _activeTo = activeTo;
        _attackerModel = attackerModel;
        _attackerIncident = attackerIncident;
        _nextArrival = Math.Max(start, activeFrom);
        _arrivalIsRequest = false;
        Next = _nextArrival;
    }

    public override void Step(SimContext ctx)
    {
        var now = Next;
        if (_retryDue)
        {
            var retry = _retries.Dequeue();
            ctx.PendingRetries--;
            LoadRetry(retry, now);
            RunAttempt(ctx);
        }
        else if (_arrivalIsRequest)
        {
            NewRequest(ctx, now);
            RunAttempt(ctx);
        }

        if (_nextArrival <= now)
        {
            DrawArrival(ctx, now);
        }

        if (_retries.TryPeek(out _, out var due) && due < _nextArrival)
        {
            _retryDue = true;
            Next = due;
        }
        else
        {
            _retryDue = false;
            Next = _nextArrival;
        }
    }

    private void DrawArrival(SimContext ctx, long now)
    {
        if (now >= _activeTo)
        {
            _nextArrival = long.MaxValue;
            _arrivalIsRequest = false;
            return;
        }

        var boundary = ((now / SimTime.Minute) + 1) * SimTime.Minute;
        var rate = Rate(ctx, now);
        if (rate <= 0)
        {
            _nextArrival = boundary;
            _arrivalIsRequest = false;
            return;
        }

        var gap = (long)(_rng.Exponential(rate) * SimTime.Second);
        if (gap < boundary - now)
        {
            _nextArrival = now + gap;
            _arrivalIsRequest = true;
        }
        else
        {
            _nextArrival = boundary;
            _arrivalIsRequest = false;
        }
    }

    private double Rate(SimContext ctx, long now)
    {
        var minute = now / SimTime.Minute;
        if (minute != _noiseMinute)
        {
            // AR(1) wander of the rate in log space, stationary standard deviation 0.12 × noise.
            _noiseMinute = minute;
            _noiseState = (0.95 * _noiseState) + (0.3122 * 0.12 * ctx.Noise * _rng.Normal());
            _noiseFactor = Math.Exp(_noiseState);
        }

        switch (_kind)
        {
            case TrafficKind.NightlyBatch:
                var hour = SimTime.HourOfDay(now);
                return hour is >= 2 and < 3 ? _baseRate * _noiseFactor : 0;
            case TrafficKind.Attacker:
                return now >= _activeFrom ? _baseRate * _noiseFactor : 0;
            default:
                var rate = _baseRate * SimTime.Shape(now) * _noiseFactor;
                var incidents = ctx.Incidents;
                for (var i = 0; i < incidents.Length; i++)
                {
                    if (incidents[i].Active(now))
                    {
                        rate *= incidents[i].RateMultiplier(_tenant, now);
                    }
                }

                return rate;
        }
    }

    private void NewRequest(SimContext ctx, long now)
    {
        var d = _draft;
        d.Tenant = _tenant;
        d.Ticks = now;
        d.Attempt = 0;
        d.RetryCause = -1;
        d.ParentEventId = null;
        d.Batch = _kind == TrafficKind.NightlyBatch;
        d.Attacker = _kind == TrafficKind.Attacker ? _attackerIncident : -1;
        d.Region = _tenant.Region;
        d.CorrelationId = _rng.NextGuid();
        d.RequestId = "req-" + _rng.NextHex();
        switch (_kind)
        {
            case TrafficKind.NightlyBatch:
                d.Feature = World.BatchFeature;
                d.RequestedModel = 1;
                d.User = 0;
                break;
            case TrafficKind.Attacker:
                d.Feature = 4;
                d.RequestedModel = _attackerModel;
                d.User = 0;
                break;
            default:
                d.Feature = PickFeature();
                d.RequestedModel = _rng.Chance(0.85) ? _tenant.PrimaryModel[d.Feature] : _tenant.SecondaryModel[d.Feature];
                // Skewed toward a few heavy users.
                var u = _rng.NextDouble();
                d.User = (int)(u * u * _tenant.Users.Length);
                break;
        }

        d.ZPrompt = _rng.Normal();
        d.ZCompletion = _rng.Normal();
        d.UCache = _rng.NextDouble();
        d.UCacheWrite = _rng.NextDouble();
        d.UReasoning = _rng.NextDouble();

        var weight = 1.0;
        if (_kind == TrafficKind.Attacker)
        {
            weight = 0;
        }
        else if (_kind == TrafficKind.Tenant)
        {
            var incidents = ctx.Incidents;
            for (var i = 0; i < incidents.Length; i++)
            {
                if (incidents[i].BoostsRate && incidents[i].Active(now))
                {
                    weight /= incidents[i].RateMultiplier(_tenant, now);
                }
            }
        }

        d.BaselineWeight = weight;
    }

    private void LoadRetry(RetryState r, long now)
    {
        var d = _draft;
        d.Tenant = _tenant;
        d.Ticks = now;
        d.Attempt = r.Attempt;
        d.RetryCause = r.RetryCause;
        d.ParentEventId = r.ParentEventId;
        d.Batch = _kind == TrafficKind.NightlyBatch;
        d.Attacker = _kind == TrafficKind.Attacker ? _attackerIncident : -1;
        d.Region = _tenant.Region;
        d.CorrelationId = r.CorrelationId;
        d.RequestId = r.RequestId;
        d.Feature = r.Feature;
        d.RequestedModel = r.RequestedModel;
        d.User = r.User;
        d.ZPrompt = r.ZPrompt;
        d.ZCompletion = r.ZCompletion;
        d.UCache = r.UCache;
        d.UCacheWrite = r.UCacheWrite;
        d.UReasoning = r.UReasoning;
        d.BaselineWeight = 0;
    }

    private int PickFeature()
    {
        var u = _rng.NextDouble();
        var cdf = _tenant.FeatureCdf;
        for (var f = 0; f < cdf.Length; f++)
        {
            if (u < cdf[f])
            {
                return f;
            }
        }

        return cdf.Length - 1;
    }

    private void RunAttempt(SimContext ctx)
    {
        var d = _draft;
        var world = ctx.World;
        d.ZTtft = _rng.Normal();
        d.ZTps = _rng.Normal();
        d.UBaseError = _rng.NextDouble();
        d.UIncident = _rng.NextDouble();
        d.UKind = _rng.NextDouble();

        var fx = RequestEffects.None(d.RequestedModel);
        var incidents = ctx.Incidents;
        for (var i = 0; i < incidents.Length; i++)
        {
            if (incidents[i].Active(d.Ticks))
            {
                incidents[i].Shape(d, ref fx);
            }
        }

        d.Model = fx.RouteModel;
        var model = world.Models[d.Model];
        var baseModel = world.Models[d.RequestedModel];
        var feature = world.Features[d.Feature];
        var spread = 0.4 + (0.2 * ctx.Noise);
        var load = SimTime.Shape(d.Ticks);

        var promptScale = d.Attacker >= 0 ? 3.0 : 1.0;
        var prompt = (uint)Math.Max(8, Math.Round(feature.PromptMedian * promptScale * Math.Exp(spread * d.ZPrompt)));
        var baseCompletion = Math.Max(1, Math.Round(feature.CompletionMedian * promptScale * Math.Exp(spread * 0.8 * d.ZCompletion)));
        var completion = (uint)Math.Max(1, Math.Round(baseCompletion * fx.CompletionMultiplier));
        var cached = (uint)(prompt * feature.CacheShare * d.UCache);
        var cacheWrite = d.UCacheWrite < 0.05 ? (uint)((prompt - cached) * 0.5) : 0u;

        var ttftFactor = (1 + (0.6 * load * load)) * Math.Exp(0.35 * spread / 0.6 * d.ZTtft);
        var tpsFactor = Math.Exp(0.15 * d.ZTps);
        var network = 20 + (40 * d.UReasoning);
        var latency = Latency(model, completion, ttftFactor, tpsFactor, network, fx.LatencyMultiplier, out var ttft);
        var baseLatency = Latency(baseModel, (uint)baseCompletion, ttftFactor, tpsFactor, network, 1.0, out _);

        var baseErrorRate = baseModel.BaseErrorRate + (0.01 * load * load * load);
        var baseFailed = d.UBaseError < baseErrorRate;
        var kind = RequestOutcomeKind.Ok;
        var causedBy = -1;
        if (fx.UnavailableBy >= 0 && d.UIncident < fx.UnavailableProbability)
        {
            kind = RequestOutcomeKind.ProviderUnavailable;
            causedBy = fx.UnavailableBy;
        }
        else if (fx.BlockBy >= 0 && d.UIncident < fx.BlockProbability)
        {
            kind = RequestOutcomeKind.PolicyBlocked;
            causedBy = fx.BlockBy;
        }
        else if (fx.TimeoutBy >= 0 && d.UIncident < fx.TimeoutProbability)
        {
            kind = RequestOutcomeKind.Timeout;
            causedBy = fx.TimeoutBy;
        }
        else if (d.UBaseError < baseErrorRate)
        {
            kind = d.UKind < 0.4 ? RequestOutcomeKind.RateLimited : d.UKind < 0.75 ? RequestOutcomeKind.ServerError : RequestOutcomeKind.Timeout;
        }

        switch (kind)
        {
            case RequestOutcomeKind.Timeout:
                latency = 30_000 + network;
                break;
            case RequestOutcomeKind.ServerError:
                latency *= 0.3;
                break;
            case RequestOutcomeKind.Ok:
                break;
            default:
                latency = 40 + (80 * d.UKind);
                break;
        }

        var billedCompletion = kind switch
        {
            RequestOutcomeKind.Ok => completion,
            RequestOutcomeKind.Timeout => (uint)Math.Max(1, completion * 3 / 10),
            _ => 0u,
        };
        var billed = kind is RequestOutcomeKind.Ok or RequestOutcomeKind.Timeout;
        var reasoning = model.Reasoning && billed ? (uint)(billedCompletion * (0.3 + (0.4 * d.UReasoning))) : 0u;
        var cost = billed ? Cost(model, prompt, cached, cacheWrite, billedCompletion) : 0.0;
        var unmultipliedCompletion = kind == RequestOutcomeKind.Ok ? (uint)baseCompletion : (uint)Math.Max(1, baseCompletion * 3 / 10);

        var outcome = new RequestOutcome
        {
            Kind = kind,
            CausedBy = causedBy,
            BaseFailed = baseFailed,
            LatencyMs = latency,
            BaseLatencyMs = baseLatency,
            CostUsd = cost,
            CostIfUnrouted = billed ? Cost(baseModel, prompt, cached, cacheWrite, billedCompletion) : 0,
            CostIfUnmultiplied = billed ? Cost(model, prompt, cached, cacheWrite, unmultipliedCompletion) : 0,
            CostIfSucceeded = Cost(model, prompt, cached, cacheWrite, completion),
            LatencyItem = -1,
            UsageItem = -1,
            CostItem = -1,
        };

        var tags = BuildTags(d, model, kind);
        var severity = kind == RequestOutcomeKind.Ok ? Severity.Info : Severity.Warning;
        var queue = ttft * (0.6 * load * load) / (1 + (0.6 * load * load));
        var latencyPayload = new LatencyMetrics
        {
            ModelId = model.Id,
            RequestId = d.RequestId,
            TotalLatencyMs = Math.Round(latency, 3),
            TtftMs = kind == RequestOutcomeKind.Ok ? Math.Round(ttft, 3) : null,
            TokensPerSecond = kind == RequestOutcomeKind.Ok ? Math.Round(completion / Math.Max(0.001, (latency - ttft - network) / 1000), 3) : null,
            Breakdown = kind == RequestOutcomeKind.Ok
                ? new LatencyBreakdown
                {
                    QueueTimeMs = Math.Round(queue, 3),
                    ProcessingTimeMs = Math.Round(Math.Max(0, latency - network - queue), 3),
                    NetworkTimeMs = Math.Round(network, 3),
                    OtherMs = 0,
                }
                : null,
        };
        outcome.LatencyItem = ctx.Emit(SourceModule.LlmObservatory, d.Ticks, latencyPayload, severity, tags, _rng, d.CorrelationId, d.ParentEventId);
        var latencyEventId = ctx.Outbox[outcome.LatencyItem].Event.EventId;

        if (billed)
        {
            var usage = new TokenUsageMetrics
            {
                ModelId = model.Id,
                RequestId = d.RequestId,
                PromptTokens = prompt,
                CompletionTokens = billedCompletion,
                TotalTokens = prompt + billedCompletion,
                CachedInputTokens = cached > 0 ? cached : null,
                CacheCreationInputTokens = cacheWrite > 0 ? cacheWrite : null,
                ReasoningTokens = model.Reasoning ? reasoning : null,
            };
            outcome.UsageItem = ctx.Emit(SourceModule.LlmObservatory, d.Ticks, usage, severity, tags, _rng, d.CorrelationId, latencyEventId);
            var tokenCost = new TokenCostEvent
            {
                ModelId = model.Id,
                RequestId = d.RequestId,
                PromptTokens = prompt,
                CompletionTokens = billedCompletion,
                TotalTokens = prompt + billedCompletion,
                CostPerPromptToken = model.PromptPerMillion / 1e6,
                CostPerCompletionToken = model.CompletionPerMillion / 1e6,
                TotalCostUsd = Math.Round(cost, 9),
                Currency = "USD",
                CachedInputTokens = cached > 0 ? cached : null,
                CacheCreationInputTokens = cacheWrite > 0 ? cacheWrite : null,
                ReasoningTokens = model.Reasoning ? reasoning : null,
                CachedInputCostUsd = cached > 0 ? Math.Round(cached * model.CachedPerMillion / 1e6, 9) : null,
                CacheCreationCostUsd = cacheWrite > 0 ? Math.Round(cacheWrite * model.CacheWritePerMillion / 1e6, 9) : null,
                ReasoningCostUsd = model.Reasoning ? Math.Round(reasoning * model.CompletionPerMillion / 1e6, 9) : null,
                PriceVersion = World.PriceVersion,
            };
            outcome.CostItem = ctx.Emit(SourceModule.LlmCostOps, d.Ticks, tokenCost, severity, tags, _rng, d.CorrelationId, latencyEventId);
            ctx.TrackSpend(_tenant, d.Ticks, cost, _rng);
        }

        var counters = ctx.Counters[d.Model, d.Region];
        counters.Requests++;
        counters.LatencyMsSum += latency;
        counters.Tokens += billed ? prompt + billedCompletion : 0;
        ctx.ProviderRequests[d.Model]++;
        ctx.ProviderCost[d.Model] += cost;
        if (kind != RequestOutcomeKind.Ok)
        {
            counters.Failed++;
            switch (kind)
            {
                case RequestOutcomeKind.Timeout: counters.Timeouts++; break;
                case RequestOutcomeKind.ServerError: counters.ServerErrors++; break;
                case RequestOutcomeKind.RateLimited: counters.RateLimited++; break;
                case RequestOutcomeKind.PolicyBlocked: counters.PolicyBlocked++; break;
                default: counters.Unavailable++; break;
            }

            if (d.Attempt + 1 < MaxAttempts)
            {
                var backoff = (1 << d.Attempt) * _rng.Uniform(1.0, 2.0);
                _retries.Enqueue(
                    new RetryState
                    {
                        Feature = d.Feature,
                        RequestedModel = d.RequestedModel,
                        User = d.User,
                        Attempt = d.Attempt + 1,
                        CorrelationId = d.CorrelationId,
                        RequestId = d.RequestId,
                        ParentEventId = latencyEventId,
                        RetryCause = causedBy >= 0 ? causedBy : d.RetryCause,
                        ZPrompt = d.ZPrompt,
                        ZCompletion = d.ZCompletion,
                        UCache = d.UCache,
                        UCacheWrite = d.UCacheWrite,
                        UReasoning = d.UReasoning,
                    },
                    d.Ticks + SimTime.FromSeconds(backoff));
                ctx.PendingRetries++;
                outcome.RetryScheduled = true;
            }
        }

        for (var i = 0; i < incidents.Length; i++)
        {
            incidents[i].Account(d, fx, outcome);
            incidents[i].OnRequest(ctx, d, fx, outcome);
        }
    }

    private static double Latency(ModelProfile model, uint completion, double ttftFactor, double tpsFactor, double network, double multiplier, out double ttft)
    {
        ttft = model.TtftMs * ttftFactor * multiplier;
        var generation = completion / (model.TokensPerSecond * tpsFactor) * 1000 * multiplier;
        return ttft + generation + network;
    }

    private static double Cost(ModelProfile model, uint prompt, uint cached, uint cacheWrite, uint completion)
    {
        var uncached = prompt - cached - cacheWrite;
        return ((uncached * model.PromptPerMillion) + (cached * model.CachedPerMillion) + (cacheWrite * model.CacheWritePerMillion)
            + (completion * model.CompletionPerMillion)) / 1e6;
    }

    private Dictionary<string, string> BuildTags(RequestDraft d, ModelProfile model, RequestOutcomeKind kind)
    {
        var tags = new Dictionary<string, string>(9, StringComparer.Ordinal)
        {
            ["tenant"] = _tenant.Id,
            ["feature"] = World.CatalogFeatures[d.Feature].Name,
            ["region"] = World.Regions[d.Region],
            ["provider"] = model.Provider,
            ["user"] = _kind switch
            {
                TrafficKind.NightlyBatch => "svc-nightly-batch",
                TrafficKind.Attacker => "key-" + _tenant.Id + "-ci",
                _ => _tenant.Users[d.User],
            },
            ["status"] = kind == RequestOutcomeKind.Ok ? "ok" : "error",
        };
        if (kind != RequestOutcomeKind.Ok)
        {
            tags["error"] = ErrorName(kind);
        }

        if (d.Attempt > 0)
        {
            tags["attempt"] = d.Attempt.ToString(CultureInfo.InvariantCulture);
        }

        if (d.Batch)
        {
            tags["benign"] = "nightly_batch";
        }

        return tags;
    }

    internal static string ErrorName(RequestOutcomeKind kind) => kind switch
    {
        RequestOutcomeKind.Timeout => "timeout",
        RequestOutcomeKind.ServerError => "server_error",
        RequestOutcomeKind.RateLimited => "rate_limited",
        RequestOutcomeKind.PolicyBlocked => "policy_blocked",
        RequestOutcomeKind.ProviderUnavailable => "provider_unavailable",
        _ => "none",
    };
}
