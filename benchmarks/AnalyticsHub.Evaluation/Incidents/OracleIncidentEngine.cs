using AnalyticsHub.Correlation;
using AnalyticsHub.Evaluation.Nab;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// The <c>oracle</c>: reads the scenario's planned truth (templates, windows, affected series, external roots; no
/// member ids) and groups the events the membership rule makes identifiable from the events alone, with the true
/// correlation types and the root it can see. Its scores are the ceilings every other engine is judged against.
/// </summary>
/// <remarks>
/// An event joins incident <c>i</c> (true time = timestamp minus its module's skew, within [start − 1 s, end + 1 min]) when it is
/// <list type="bullet">
/// <item>a window aggregate (<c>error_rate</c>, <c>throughput</c>) of one of the incident's affected series whose window overlaps the series' window;</item>
/// <item>a change event, alert, violation or threat of the incident's story, recognised by the entity the planned series
/// name: the deploy or rollback of the regressed model and the forecast budget alert; the auth and threat events of the
/// leaked key's source address, its violation and its revocation (by the key's user); the prompt-template change of the
/// feature and model; the provider's <c>model_switch</c> in the region; the policy's audits and violations.</item>
/// </list>
/// The root is the first event that can be one (deploy, login, template change, policy update) or the external
/// provider and region; a negative control names none. The oracle does not estimate impact (extra cost 0), so its
/// cost error is no ceiling. Memory: the members. Not thread-safe.
/// </remarks>
public sealed class OracleIncidentEngine : IIncidentEngine
{
    /// <summary>The engine's name.</summary>
    public const string EngineName = "oracle";

    private static readonly long Slack = TimeSpan.TicksPerMinute;

    private readonly Plan[] _plans;
    private readonly long[] _skewTicks = new long[ModuleNames.Count];

    /// <summary>Creates the oracle of one scenario.</summary>
    /// <param name="plannedTruth">The scenario's planned truth (<see cref="TrafficSimulation.PlannedGroundTruth"/>).</param>
    public OracleIncidentEngine(GroundTruth plannedTruth)
    {
        ArgumentNullException.ThrowIfNull(plannedTruth);
        _plans = [.. plannedTruth.Incidents.Select(i => new Plan(i))];
        foreach (var (module, seconds) in plannedTruth.Delivery.ClockSkewSeconds)
        {
            if (ModuleNames.TryParse(module, out var m))
            {
                _skewTicks[(int)m] = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
            }
        }
    }

    /// <inheritdoc/>
    public string Name => EngineName;

    /// <inheritdoc/>
    public void Observe(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (evt.SourceModule == SourceModule.LlmAnalyticsHub || evt.Payload is LatencyMetrics or TokenUsageMetrics or TokenCostEvent)
        {
            return;
        }

        var module = (int)evt.SourceModule;
        var ticks = evt.Timestamp.UtcTicks - (module < _skewTicks.Length ? _skewTicks[module] : 0);
        foreach (var plan in _plans)
        {
            // Timestamps are floored to the millisecond, so an event at the start may stamp just before it.
            if (ticks >= plan.Start - TimeSpan.TicksPerSecond && ticks <= plan.End + Slack)
            {
                plan.Offer(evt, ticks);
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<PredictedIncident> Finish()
    {
        var incidents = new List<PredictedIncident>(_plans.Length);
        foreach (var plan in _plans)
        {
            incidents.Add(plan.ToPrediction());
        }

        return incidents;
    }

    private sealed class Plan
    {
        private readonly IncidentTruth _truth;
        private readonly List<AffectedSeries> _aggregates = [];
        private readonly List<Guid> _members = [];
        private readonly HashSet<Guid> _seen = [];
        private readonly string? _model;
        private readonly string? _tenant;
        private readonly string? _sourceIp;
        private readonly string? _feature;
        private readonly string? _policy;
        private string? _keyUser;
        private Guid? _root;

        public Plan(IncidentTruth truth)
        {
            _truth = truth;
            Start = truth.Start.UtcTicks;
            End = truth.End.UtcTicks;
            foreach (var series in truth.AffectedSeries)
            {
                if (series.Measurement is "error_rate" or "throughput" && series.Tags.Keys.All(k => k is "model_id" or "region" or "provider"))
                {
                    _aggregates.Add(series);
                }

                _model ??= series.Tags.GetValueOrDefault("model_id");
                _tenant ??= series.Tags.GetValueOrDefault("tenant");
                _sourceIp ??= series.Tags.GetValueOrDefault("source_ip");
                _feature ??= series.Tags.GetValueOrDefault("feature");
                _policy ??= series.Tags.GetValueOrDefault("policy_id");
            }
        }

        public long Start { get; }

        public long End { get; }

        public void Offer(AnalyticsEvent evt, long ticks)
        {
            if (evt.Payload is ErrorRateMetrics or ThroughputMetrics)
            {
                var seconds = evt.Payload is ErrorRateMetrics e ? e.WindowDurationSeconds : ((ThroughputMetrics)evt.Payload).WindowDurationSeconds;
                var windowStart = ticks - (seconds * TimeSpan.TicksPerSecond);
                foreach (var series in _aggregates)
                {
                    if (string.Equals(series.Measurement, evt.Payload.Subtype, StringComparison.Ordinal) && NabSeriesExporter.Matches(series, evt)
                        && series.Windows.Any(w => ticks > w.Start.UtcTicks && windowStart < w.End.UtcTicks))
                    {
                        Add(evt.EventId);
                        return;
                    }
                }

                return;
            }

            var tags = evt.Common.Tags;
            switch (_truth.Template, evt.Payload)
            {
                case ("deploy_regression", AuditTrailEvent { Action: "deploy" or "rollback" } audit) when tags.GetValueOrDefault("model_id") == _model:
                    Add(evt.EventId, root: audit.Action == "deploy");
                    break;
                case ("deploy_regression", BudgetAlertEvent) when tags.GetValueOrDefault("forecast") == "true":
                    Add(evt.EventId);
                    break;
                case ("leaked_api_key", AuthEvent auth) when tags.GetValueOrDefault("tenant") == _tenant && tags.GetValueOrDefault("source_ip") == _sourceIp:
                    _keyUser ??= auth.UserId;
                    Add(evt.EventId, root: auth.Action == AuthAction.Login);
                    break;
                case ("leaked_api_key", ThreatEvent) when tags.GetValueOrDefault("tenant") == _tenant && tags.GetValueOrDefault("source_ip") == _sourceIp:
                    Add(evt.EventId);
                    break;
                case ("leaked_api_key", PolicyViolationEvent violation) when _keyUser is not null && violation.UserId == _keyUser:
                    Add(evt.EventId);
                    break;
                case ("leaked_api_key", AuditTrailEvent { Action: "key_revoked" } revoked) when _keyUser is not null && revoked.ResourceId == _keyUser:
                    Add(evt.EventId);
                    break;
                case ("prompt_template_change", AuditTrailEvent { Action: "prompt_template_change" })
                    when tags.GetValueOrDefault("feature") == _feature && tags.GetValueOrDefault("model_id") == _model:
                    Add(evt.EventId, root: true);
                    break;
                case ("provider_outage", AuditTrailEvent { Action: "model_switch" })
                    when _truth.Root is { } external && tags.GetValueOrDefault("provider") == external.Provider && tags.GetValueOrDefault("region") == external.Region:
                    Add(evt.EventId);
                    break;
                case ("policy_misconfiguration", AuditTrailEvent audit) when tags.GetValueOrDefault("policy_id") == _policy:
                    Add(evt.EventId, root: audit.Action == "policy_update");
                    break;
                case ("policy_misconfiguration", PolicyViolationEvent violation) when violation.PolicyId == _policy:
                    Add(evt.EventId);
                    break;
            }
        }

        public PredictedIncident ToPrediction()
        {
            var types = new List<CorrelationType>();
            foreach (var name in _truth.CorrelationTypes)
            {
                if (CorrelationTypeNames.TryParse(name, out var type))
                {
                    types.Add(type);
                }
            }

            RootCandidate[] roots = _truth.NegativeControl ? []
                : _truth.Root is { Kind: "external", Provider: { } provider, Region: { } region } ? [RootCandidate.External(provider, region)]
                : _root is { } id ? [RootCandidate.ForEvent(id)]
                : [];
            return new PredictedIncident { EventIds = _members, CorrelationTypes = types, RootCandidates = roots };
        }

        private void Add(Guid id, bool root = false)
        {
            if (_seen.Add(id))
            {
                _members.Add(id);
            }

            if (root)
            {
                _root ??= id;
            }
        }
    }
}
