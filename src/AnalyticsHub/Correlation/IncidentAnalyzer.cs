using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Correlation.Impact;
using AnalyticsHub.Correlation.RootCause;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// Root cause and impact for the <c>correlation</c> stage: watches the stream for what they need (clock skews, recent
/// changes, episode openings, per-minute usage) and turns an incident's state into its <see cref="EventCorrelation"/>
/// and <see cref="AnomalyCorrelation"/>.
/// </summary>
/// <remarks>Single-threaded, on the pipeline's reader; per ingested event a few type tests and at most one dictionary lookup.</remarks>
internal sealed class IncidentAnalyzer
{
    private readonly ClockSkewEstimator _skew = new();
    private readonly CauseHistory _history = new();
    private readonly UsageLedger _ledger = new();
    private readonly RootCauseRanker _ranker;
    private readonly ImpactAssessor _assessor;
    private readonly long _alignTicks;

    public IncidentAnalyzer(CorrelationStageOptions options, IEntityRelations? relations = null)
    {
        _ranker = new RootCauseRanker(_history, _skew, relations ?? (options.Dependencies is { } graph ? new GraphRelations(graph) : SameEntityRelations.Instance), options.AlignmentWindow.Ticks, options.IncidentGap.Ticks);
        _assessor = new ImpactAssessor(_ledger);
        _alignTicks = options.AlignmentWindow.Ticks;
    }

    /// <summary>Estimated bytes retained (the usage ledger dominates).</summary>
    public long EstimatedBytes => _ledger.EstimatedBytes + ((long)(_history.ChangeCount + _history.SourceCount + _assessor.IncidentsRemembered) * 256);

    /// <summary>Takes the next ingested event.</summary>
    /// <param name="evt">The event.</param>
    /// <param name="evidence">The event as the incident builder classified it, if it did (a change is then not classified again).</param>
    public void Observe(AnalyticsEvent evt, Evidence? evidence = null)
    {
        _skew.Observe(evt);
        _history.Observe(evt, evidence);
        _ledger.Observe(evt);
    }

    /// <summary>Takes evidence as the incident builder groups it (in event-time order): anomaly openings feed the counterfactual.</summary>
    public void Grouped(Evidence evidence)
    {
        if (evidence.Kind == EvidenceKind.Anomaly)
        {
            _history.Opened(evidence);
        }
    }

    /// <summary>The incident as it stands: its correlation (roles and types from the ranking) and its root cause and impact.</summary>
    public (EventCorrelation Correlation, AnomalyCorrelation Analysis, double ImpactScore) Analyze(Incident incident, long detectedTicks, Guid analysisEventId)
    {
        var rootCause = _ranker.Rank(incident);
        var correlation = CorrelationRules.ToCorrelation(incident, detectedTicks, rootCause, _skew, _alignTicks);
        var (impact, score) = _assessor.Assess(incident, correlation.TimeWindow, rootCause);
        var metadata = new Dictionary<string, string>(correlation.Metadata, StringComparer.Ordinal)
        {
            ["root_cause"] = rootCause.Candidates.Count == 0 ? "none" : Describe(rootCause.Candidates[0]),
            ["root_confidence"] = rootCause.Confidence.ToString("0.######", CultureInfo.InvariantCulture),
            ["impact_severity"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(impact.Severity.ToString()),
            ["impact_score"] = score.ToString("0.######", CultureInfo.InvariantCulture),
            ["analysis_event_id"] = analysisEventId.ToString(),
        };
        if (impact.CostImpact is { } cost)
        {
            metadata["additional_cost_usd"] = ImpactAssessor.Usd(cost.AdditionalCostUsd);
        }

        correlation = correlation with { Metadata = metadata };
        var analysis = new AnomalyCorrelation
        {
            CorrelationId = incident.CorrelationId,
            Anomalies = AnomaliesOf(incident),
            Strength = correlation.Strength,
            RootCause = rootCause,
            Impact = impact,
            DetectedAt = correlation.DetectedAt,
        };
        return (correlation, analysis, score);
    }

    /// <summary>The strongest anomaly score among an incident's members, or null when it has no anomaly.</summary>
    public static double? PeakAnomalyScore(Incident incident)
    {
        double? peak = null;
        foreach (var signal in incident.Signals)
        {
            peak = Math.Max(peak ?? 0, signal.Evidence.Score);
        }

        return peak;
    }

    /// <summary>A candidate in one line: <c>event:&lt;id&gt;</c> or <c>external:&lt;provider&gt;/&lt;region&gt;</c>.</summary>
    public static string Describe(RootCauseCandidate candidate) => candidate.Kind == RootCauseCandidateKind.Event
        ? "event:" + candidate.EventId
        : "external:" + candidate.Provider + "/" + candidate.Region;

    private static List<AnomalyEvent> AnomaliesOf(Incident incident)
    {
        var anomalies = new List<AnomalyEvent>(incident.Signals.Count);
        foreach (var signal in incident.Signals)
        {
            if (signal.Evidence.Event.Payload is CustomPayload { Data.ValueKind: JsonValueKind.Object } custom)
            {
                try
                {
                    if (custom.Data.Deserialize(AnomaliesJsonContext.Wire.AnomalyEvent) is { } anomaly)
                    {
                        anomalies.Add(anomaly);
                    }
                }
                catch (JsonException)
                {
                    // A host's malformed anomaly event: it was grouped by its tags; its data is left out here.
                }
            }
        }

        return anomalies;
    }
}
