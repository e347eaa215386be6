using System.Diagnostics.Metrics;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Correlation;

/// <summary>
/// The <c>correlation</c> stage: feeds every stored event to the <see cref="IncidentBuilder"/> (most are passed over by
/// one type test) and emits each incident's lifecycle as derived <c>correlation</c> events (decision 16: custom payload
/// <c>correlation</c> holding the <see cref="EventCorrelation"/>; <c>event_type</c> <c>alert</c> from
/// <see cref="AlertThresholds.MinCorrelationStrength"/> on, else <c>audit</c>). Open, update and close are separate
/// events, each the <c>parent_event_id</c> of the next; after each batch the incidents it changed are written to the
/// <see cref="ICorrelationStore"/> in their latest state.
/// </summary>
/// <remarks>
/// Anomaly evidence comes as the <c>anomalies</c> stage's derived events, not as a hand-off: they are stored before this
/// stage sees them, so members name stored events; they reach the stage in the batch right after the one that closed
/// their window, inside the allowed lateness; and a host that ingests anomaly events of its own, or replays stored
/// ones, is correlated the same way. The stage therefore registers after <c>anomalies</c> and needs no hand-off.
/// Runs on the pipeline's single reader.
/// </remarks>
internal sealed class CorrelationStage : IIngestionStage
{
    /// <summary>The <c>custom_type</c> of the lifecycle events.</summary>
    public const string CustomType = "correlation";

    private static readonly DerivedIdSpace LifecycleIds = DerivedEvents.Space("correlation_lifecycle");
    private static readonly string[] PhaseNames = ["open", "update", "close"];

    private readonly IncidentBuilder _builder;
    private readonly long _align;
    private readonly double _alertStrength;
    private readonly Counter<long> _lifecycle;
    private readonly ICorrelationStore _store;
    private readonly List<EventCorrelation> _changed = [];
    private IngestionBatch? _batch;

    public CorrelationStage(CorrelationStageOptions options, ICorrelationStore store, HubMeter meter)
    {
        _store = store;
        _align = options.AlignmentWindow.Ticks;
        _alertStrength = new AlertThresholds().MinCorrelationStrength;
        _builder = new IncidentBuilder(options, OnLifecycle);
        _lifecycle = meter.Meter.CreateCounter<long>("analyticshub.correlation.lifecycle_events", "{event}", "Incident lifecycle events emitted by the correlation stage, by phase (open, update, close).");
        meter.Meter.CreateObservableGauge("analyticshub.correlation.retained", () => _builder.MemoryReport().EstimatedBytes, "By", "Estimated bytes the correlation stage retains (buffered evidence, open incidents and their members).");
        meter.Meter.CreateObservableGauge("analyticshub.correlation.open_incidents", () => _builder.MemoryReport().OpenIncidents, "{incident}", "Incidents open in the correlation stage.");
    }

    public string Name => "correlation";

    /// <summary>What the stage retains now and what its caps cost.</summary>
    public CorrelationMemoryReport MemoryReport => _builder.MemoryReport();

    public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        var events = batch.Events;
        for (var i = 0; i < events.Count; i++)
        {
            _builder.Observe(events[i]);
        }

        _batch = batch;
        try
        {
            _builder.Advance();
        }
        finally
        {
            _batch = null;
        }

        await StoreChangedAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        _batch = batch;
        try
        {
            _builder.Complete();
        }
        finally
        {
            _batch = null;
        }

        await StoreChangedAsync(cancellationToken).ConfigureAwait(false);
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
        var correlation = CorrelationRules.ToCorrelation(incident, ticks, _align, _builder.Skew);
        var phaseName = PhaseNames[(int)phase];
        var id = LifecycleIds.FromName(incident.CorrelationId.ToString("N") + "|" + incident.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
    }

    private static string EnvironmentOf(Incident incident) => incident.Members.Count > 0 ? incident.Members[0].Evidence.Event.Common.Environment : "unknown";
}
