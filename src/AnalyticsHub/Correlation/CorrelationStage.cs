using System.Diagnostics.Metrics;
using System.Text.Json;
using AnalyticsHub.Alerts;
using AnalyticsHub.Correlation.Alerts;
using AnalyticsHub.Correlation.Patterns;
using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Correlation;

/// <summary>
/// The <c>correlation</c> stage: feeds every stored event to the <see cref="IncidentBuilder"/> (most are passed over by
/// one type test) and emits each incident's lifecycle as derived <c>correlation</c> events (decision 16: custom payload
/// <c>correlation</c> holding the <see cref="EventCorrelation"/>; <c>event_type</c> <c>alert</c> from
/// <see cref="AlertThresholds.MinCorrelationStrength"/> on, else <c>audit</c>). Open, update and close are separate
/// events, each the <c>parent_event_id</c> of the next; after each batch the incidents it changed are written to the
/// <see cref="ICorrelationStore"/> in their latest state. With each lifecycle event it emits the incident's root cause
/// and impact as a custom <c>anomaly_correlation</c> event (its child, with the incident's <c>correlation_id</c>), and
/// hands <see cref="CorrelationAlert"/>s to the host's <see cref="IAlertSink"/>s through the hub's one
/// <see cref="AlertDispatcher"/>, off the ingestion path.
/// </summary>
/// <remarks>
/// Anomaly evidence comes as the <c>anomalies</c> stage's derived events, not as a hand-off: they are stored before this
/// stage sees them, so members name stored events; and a host that ingests anomaly events of its own, or replays stored
/// ones, is correlated the same way. The stage therefore registers after <c>anomalies</c> and needs no hand-off. It
/// takes the events the hub derived (<see cref="SourceModule.LlmAnalyticsHub"/>) as they come, and holds a batch's
/// producer events back until everything the batch derived is in (<see cref="IWaitsForDerivedEvents"/>): only the
/// producers' events move its time bound, so the bound never passes evidence derived from the batch that moved it,
/// however much event time one batch spans. Runs on the pipeline's single reader.
/// </remarks>
internal sealed class CorrelationStage : IIngestionStage, IWaitsForDerivedEvents
{
    /// <summary>The <c>custom_type</c> of the lifecycle events.</summary>
    public const string CustomType = "correlation";

    /// <summary>The <c>custom_type</c> of the root-cause and impact events.</summary>
    public const string AnalysisCustomType = "anomaly_correlation";

    private static readonly DerivedIdSpace LifecycleIds = DerivedEvents.Space("correlation_lifecycle");
    private static readonly DerivedIdSpace AnalysisIds = DerivedEvents.Space("anomaly_correlation");
    private static readonly DerivedIdSpace AlertIds = DerivedEvents.Space("correlation_alert");
    private static readonly string[] PhaseNames = ["open", "update", "close"];

    private readonly IncidentBuilder _builder;
    private readonly IncidentAnalyzer _analyzer;
    private readonly AlertGate _alertGate;
    private readonly AlertDispatcher? _alerts;
    private readonly double _alertStrength;
    private readonly Counter<long> _lifecycle;
    private readonly ICorrelationStore _store;
    private readonly List<EventCorrelation> _changed = [];
    private readonly PatternMatcher _patterns;
    private readonly PatternMatchLog _patternLog = new(PatternMatchLog.DefaultCapacity);
    private readonly List<PatternMatch> _completed = [];
    private readonly Counter<long> _patternMatches;
    private readonly List<AnalyticsEvent> _held = [];
    private readonly List<AnalyticsEvent> _taking = [];
    private IngestionBatch? _batch;

    public CorrelationStage(CorrelationStageOptions options, ICorrelationStore store, HubMeter meter, AlertDispatcher? alerts = null)
    {
        _store = store;
        _alertStrength = options.Alerts.MinCorrelationStrength;
        _analyzer = new IncidentAnalyzer(options);
        _alertGate = new AlertGate(options.Alerts);
        _alerts = alerts;
        var problems = new List<Problem>();
        var patterns = PatternCompiler.Compile(options.GetPatterns(), "Correlation.Patterns", problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid correlation patterns: " + string.Join("; ", problems.Select(PatternCompiler.Describe)), nameof(options));
        }

        _patterns = new PatternMatcher(patterns, options.AllowedLateness);
        _patternMatches = meter.Meter.CreateCounter<long>("analyticshub.correlation.pattern_matches", "{match}", "Matches of the configured correlation patterns, by pattern_id.");
        meter.Meter.CreateObservableCounter("analyticshub.correlation.pattern_late_events", () => _patterns.LateEvents, "{event}", "Events the pattern matcher skipped as later than the allowed lateness.");
        _builder = new IncidentBuilder(options, OnLifecycle) { EvidenceGrouped = _analyzer.Grouped };
        _lifecycle = meter.Meter.CreateCounter<long>("analyticshub.correlation.lifecycle_events", "{event}", "Incident lifecycle events emitted by the correlation stage, by phase (open, update, close).");
        meter.Meter.CreateObservableGauge("analyticshub.correlation.retained", () => MemoryReport.EstimatedBytes, "By", "Estimated bytes the correlation stage retains (buffered evidence, open incidents and their members, the root-cause history and the usage ledger).");
        meter.Meter.CreateObservableGauge("analyticshub.correlation.open_incidents", () => _builder.OpenCount, "{incident}", "Incidents open in the correlation stage.");
    }

    public string Name => "correlation";

    /// <summary>What the stage retains now and what its caps cost.</summary>
    public CorrelationMemoryReport MemoryReport => _builder.MemoryReport(_analyzer.EstimatedBytes);

    /// <summary>
    /// Takes the events the hub derived at once (they do not move event time; evidence among them waits in the builder
    /// for its turn) and holds the producers' events back until <see cref="ProcessAfterDerivedAsync"/>. Should a
    /// batch with producers' events find some still held (a stage the pipeline could not call, wrapped by a host's
    /// decorator), the previous batch's derived events have all gone through by then, and it takes those first.
    /// </summary>
    public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        var events = batch.Events;
        var heldBefore = _held.Count > 0;
        _batch = batch;
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].SourceModule == SourceModule.LlmAnalyticsHub)
                {
                    Take(events[i]);
                    continue;
                }

                if (heldBefore)
                {
                    TakeHeld();
                    heldBefore = false;
                }

                _held.Add(events[i]);
            }
        }
        finally
        {
            _batch = null;
        }

        await StoreChangedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Everything the last batch derived is in: takes its producers' events, which move event time and so group the
    /// evidence the allowed lateness has passed, derived evidence of that batch included.
    /// </summary>
    public async ValueTask ProcessAfterDerivedAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        _batch = batch;
        try
        {
            TakeHeld();
        }
        finally
        {
            _batch = null;
        }

        await StoreChangedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the held events in the order they came (moved aside first, so a retry after a throw does not take them twice).</summary>
    private void TakeHeld()
    {
        if (_held.Count == 0)
        {
            return;
        }

        _taking.AddRange(_held);
        _held.Clear();
        try
        {
            foreach (var evt in _taking)
            {
                Take(evt);
            }

            _builder.Advance();
        }
        finally
        {
            _taking.Clear();
        }
    }

    /// <summary>
    /// One event: the pattern matcher and the builder advance as event time moves, event by event, and the builder
    /// emits lifecycle events before the analysis takes the event that moved it, so each lifecycle event sees the
    /// stream (and the pattern matches) up to a point the events fix, never where a batch happens to end.
    /// </summary>
    private void Take(AnalyticsEvent evt)
    {
        _patterns.Observe(evt, _completed);
        _patterns.Advance(_completed);
        if (_completed.Count > 0)
        {
            RecordMatches();
        }

        _analyzer.Observe(evt, _builder.Observe(evt));
    }

    public async ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        _batch = batch;
        try
        {
            TakeHeld();
            _patterns.Flush(_completed);
            RecordMatches();
            _builder.Complete();
        }
        finally
        {
            _batch = null;
        }

        await StoreChangedAsync(cancellationToken).ConfigureAwait(false);
        if (_alerts is not null)
        {
            await _alerts.DrainAsync(_alerts.DrainTime).ConfigureAwait(false);
        }
    }

    private void RecordMatches()
    {
        foreach (var match in _completed)
        {
            _patternLog.Add(match);
            _patternMatches.Add(1, new KeyValuePair<string, object?>("pattern_id", match.Pattern.Pattern.PatternId));
        }

        _completed.Clear();
    }

    private async ValueTask StoreChangedAsync(CancellationToken cancellationToken)
    {
        if (_changed.Count == 0)
        {
            return;
        }

        try
        {
            // In lifecycle order, so an incident that opened and updated within the batch ends in its latest state.
            foreach (var correlation in _changed)
            {
                await _store.WriteAsync(correlation, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _changed.Clear();
        }
    }

    private void OnLifecycle(Incident incident, IncidentPhase phase, string reason, long ticks)
    {
        var phaseName = PhaseNames[(int)phase];
        var name = incident.CorrelationId.ToString("N") + "|" + incident.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = LifecycleIds.FromName(name);
        var analysisId = AnalysisIds.FromName(name);
        var (correlation, analysis, impactScore) = _analyzer.Analyze(incident, ticks, analysisId);
        if (_patternLog.Of(incident) is { } match)
        {
            correlation = match.ApplyTo(correlation);
        }
        var alert = correlation.Strength >= _alertStrength;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["correlation_phase"] = phaseName,
            ["correlation_reason"] = reason,
            ["correlation_type"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(correlation.CorrelationType.ToString()),
        };
        var evt = new AnalyticsEvent
        {
            Common = DerivedEvents.Common(id, new DateTimeOffset(ticks, TimeSpan.Zero), alert ? EventType.Alert : EventType.Audit, alert ? Severity.Warning : Severity.Info,
                EnvironmentOf(incident), tags, incident.LastEventId, incident.CorrelationId),
            Payload = new CustomPayload
            {
                CustomType = CustomType,
                Data = JsonSerializer.SerializeToElement(correlation, CorrelationJsonContext.Wire.EventCorrelation),
            },
        };
        incident.LastEventId = id;
        _changed.Add(correlation);
        _lifecycle.Add(1, new KeyValuePair<string, object?>("phase", phaseName));
        _batch!.Emit(evt);
        _batch.Emit(new AnalyticsEvent
        {
            Common = DerivedEvents.Common(analysisId, evt.Timestamp, evt.Common.EventType, evt.Common.Severity, evt.Common.Environment,
                new Dictionary<string, string>(tags, StringComparer.Ordinal) { ["impact_severity"] = correlation.Metadata["impact_severity"] }, id, incident.CorrelationId),
            Payload = new CustomPayload
            {
                CustomType = AnalysisCustomType,
                Data = JsonSerializer.SerializeToElement(analysis, CorrelationJsonContext.Wire.AnomalyCorrelation),
            },
        });
        if (_alertGate.Decide(incident.CorrelationId, correlation.Strength, IncidentAnalyzer.PeakAnomalyScore(incident), impactScore) is { } step && _alerts is not null)
        {
            _alerts.Offer(new CorrelationAlert
            {
                AlertId = AlertIds.FromName(incident.CorrelationId.ToString("N") + "|" + step.ToString()),
                Timestamp = correlation.DetectedAt,
                CorrelationId = incident.CorrelationId,
                Severity = step,
                ImpactScore = impactScore,
                RespondWithin = ImpactAssessment.ResponseTimeOf(step),
                Correlation = correlation,
                Analysis = analysis,
                Summary = JsonNamingPolicy.SnakeCaseLower.ConvertName(correlation.CorrelationType.ToString()) + ": "
                    + (analysis.RootCause is { Candidates.Count: > 0 } root ? IncidentAnalyzer.Describe(root.Candidates[0]) : "no cause found") + ", " + step.ToString().ToLowerInvariant(),
            });
        }
    }

    private static string EnvironmentOf(Incident incident) => incident.Members.Count > 0 ? incident.Members[0].Evidence.Event.Common.Environment : "unknown";
}

