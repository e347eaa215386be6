using System.Globalization;
using AnalyticsHub.Correlation.RootCause;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// Turns an open incident into its wire form: member roles, the correlation types, strength and confidence, each by
/// the documented rule (docs/correlation.md, "Types, strength and confidence").
/// </summary>
internal static class CorrelationRules
{
    /// <summary>
    /// The incident as it stands, as an <see cref="EventCorrelation"/>: the first root-cause candidate, when it is a
    /// member, has the role <c>root_cause</c>, and any candidate makes the incident a causal chain.
    /// </summary>
    /// <param name="incident">The incident.</param>
    /// <param name="detectedTicks">Its <c>detected_at</c>, in event time.</param>
    /// <param name="rootCause">Its ranked root causes.</param>
    /// <param name="skew">The modules' estimated clock offsets, to order the causal links.</param>
    /// <param name="alignTicks">The alignment window.</param>
    public static EventCorrelation ToCorrelation(Incident incident, long detectedTicks, RootCauseAnalysis rootCause, ClockSkewEstimator skew, long alignTicks)
    {
        var rootId = rootCause.RootEventId;
        IncidentMember? root = null;
        var events = new List<CorrelatedEvent>(incident.Members.Count);
        var modules = new HashSet<SourceModule>();
        long end = incident.Onset;
        foreach (var member in incident.Members)
        {
            var e = member.Evidence;
            if (rootId == e.Event.EventId)
            {
                root = member;
            }

            var module = ModuleOf(e);
            modules.Add(module);
            end = Math.Max(end, Math.Max(e.Ticks, member.EndTicks));
            events.Add(new CorrelatedEvent
            {
                EventId = e.Event.EventId,
                SourceModule = e.Event.SourceModule,
                EventType = e.Event.Common.EventType,
                Severity = e.Event.Common.Severity,
                Timestamp = e.Event.Timestamp,
                Role = rootId == e.Event.EventId ? EventRole.RootCause : RoleOf(e),
                Summary = SummaryOf(e),
                Metrics = MetricsOf(member),
            });
        }

        var types = TypesOf(incident, rootCause.Candidates.Count > 0);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sources"] = incident.Sources.Count.ToString(CultureInfo.InvariantCulture),
            ["members_omitted"] = incident.MembersOmitted.ToString(CultureInfo.InvariantCulture),
            ["onset"] = Format(incident.Onset),
        };
        return new EventCorrelation
        {
            CorrelationId = incident.CorrelationId,
            CorrelationType = types[0],
            CorrelationTypes = types,
            Events = events,
            CausalLinks = CausalLinker.Link(incident, root, skew, alignTicks),
            Strength = StrengthOf(incident, modules.Count),
            Confidence = ConfidenceOf(incident),
            TimeWindow = new TimeRange(new DateTimeOffset(incident.Onset, TimeSpan.Zero), new DateTimeOffset(Math.Max(end, incident.LastActivity), TimeSpan.Zero)),
            DetectedAt = new DateTimeOffset(detectedTicks, TimeSpan.Zero),
            Metadata = metadata,
        };
    }

    /// <summary>
    /// The types, primary first: <c>security_incident</c> with an access or threat; <c>compliance_cascade</c> with a policy
    /// violation; <c>causal_chain</c> with a root or a change among effects; <c>performance_degradation</c> with rising
    /// latency or errors (an episode, or an error-rate series that joined by rising) or falling traffic; <c>cost_impact</c> with rising tokens or spend or a projected budget alert,
    /// when a cause is known; with no change and no security event, <c>temporal</c> and <c>anomaly</c>.
    /// </summary>
    internal static List<CorrelationType> TypesOf(Incident incident, bool rooted)
    {
        bool security = false, compliance = false, change = false, performance = false, cost = false, effects = false;
        foreach (var member in incident.Members)
        {
            var e = member.Evidence;
            switch (e.Kind)
            {
                case EvidenceKind.Access or EvidenceKind.Threat:
                    security = true;
                    effects |= e.Kind == EvidenceKind.Threat;
                    break;
                case EvidenceKind.PolicyViolation:
                    compliance = true;
                    effects = true;
                    break;
                case EvidenceKind.Change:
                    change = true;
                    break;
                case EvidenceKind.BudgetAlert:
                    cost = true;
                    effects = true;
                    break;
                case EvidenceKind.Aggregate when e.Category == SignalCategory.Errors:
                    // An error-rate series joins only once it has risen (SeriesInvolvement.Moved counts rises only).
                    effects = true;
                    performance = true;
                    break;
                case EvidenceKind.Anomaly:
                    effects = true;
                    performance |= (e.Category is SignalCategory.Latency or SignalCategory.Errors && e.Direction > 0) || (e.Category == SignalCategory.Traffic && e.Direction < 0);
                    cost |= e.Category is SignalCategory.Tokens or SignalCategory.Cost && e.Direction > 0;
                    break;
            }
        }

        var causal = rooted || (change && effects);
        var types = new List<CorrelationType>(4);
        if (security)
        {
            types.Add(CorrelationType.SecurityIncident);
        }
        else if (compliance)
        {
            types.Add(CorrelationType.ComplianceCascade);
        }

        if (!causal && !security)
        {
            if (performance && !compliance)
            {
                types.Add(CorrelationType.PerformanceDegradation);
            }

            types.Add(CorrelationType.Temporal);
            types.Add(CorrelationType.Anomaly);
            return types;
        }

        if (performance && !security && !compliance && !rooted)
        {
            types.Add(CorrelationType.PerformanceDegradation);
        }

        types.Add(CorrelationType.CausalChain);
        if (performance && !types.Contains(CorrelationType.PerformanceDegradation))
        {
            types.Add(CorrelationType.PerformanceDegradation);
        }

        if (cost)
        {
            types.Add(CorrelationType.CostImpact);
        }

        if (compliance && !types.Contains(CorrelationType.ComplianceCascade))
        {
            types.Add(CorrelationType.ComplianceCascade);
        }

        return types;
    }

    /// <summary>
    /// Strength = 0.4 alignment + 0.3 overlap + 0.3 corroboration: alignment and overlap are the mean time and entity
    /// affinities (each capped at 1) of the members that joined, corroboration is (modules − 1) / 3 capped at 1.
    /// </summary>
    internal static double StrengthOf(Incident incident, int modules)
    {
        double temporal = 0, entity = 0;
        var joined = 0;
        foreach (var member in incident.Members)
        {
            if (member.Affinity.Total > 0)
            {
                temporal += Math.Min(1, member.Affinity.Temporal);
                entity += Math.Min(1, member.Affinity.Entity);
                joined++;
            }
        }

        if (joined == 0)
        {
            return 0;
        }

        var corroboration = Math.Min(1, (modules - 1) / 3.0);
        return Math.Round((0.4 * temporal / joined) + (0.3 * entity / joined) + (0.3 * corroboration), 6);
    }

    /// <summary>
    /// Confidence = 1 − Π (1 − p) over the distinct sources, each an independent witness: an anomaly series with p = half
    /// its best score, a root change or access 0.5, any other change, alert, violation or threat 0.3.
    /// </summary>
    internal static double ConfidenceOf(Incident incident)
    {
        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var member in incident.Members)
        {
            var e = member.Evidence;
            var p = e.Kind == EvidenceKind.Anomaly ? 0.5 * Math.Clamp(e.Score, 0, 1) : e.CanBeRoot ? 0.5 : 0.3;
            best[e.Source] = Math.Max(best.GetValueOrDefault(e.Source), p);
        }

        var miss = 1.0;
        foreach (var p in best.Values)
        {
            miss *= 1 - p;
        }

        return Math.Round(1 - miss, 6);
    }

    private static EventRole RoleOf(Evidence e) => e.Kind switch
    {
        EvidenceKind.Change => EventRole.Contributor,
        _ => EventRole.Effect,
    };

    /// <summary>The module an evidence speaks for: a derived anomaly's <c>source_module</c> tag, else the event's module.</summary>
    internal static SourceModule ModuleOf(Evidence e) =>
        e.Event.SourceModule == SourceModule.LlmAnalyticsHub && e.Event.Common.Tags.TryGetValue("source_module", out var name)
        && Events.Json.WireEnums.SourceModule.TryParse(name, out var module) ? module : e.Event.SourceModule;

    private static string SummaryOf(Evidence e) => e.Event.Payload switch
    {
        AuditTrailEvent audit => audit.Action + " " + audit.ResourceId,
        AuthEvent auth => "auth " + Events.Json.WireEnums.AuthAction.GetName(auth.Action) + " by " + auth.UserId + " from " + e.Event.Common.Tags.GetValueOrDefault("source_ip"),
        ThreatEvent threat => "threat " + threat.ThreatId + " on " + threat.TargetResource,
        BudgetAlertEvent alert => "budget " + alert.BudgetId + " at " + alert.ThresholdPercent.ToString("0.#", CultureInfo.InvariantCulture) + " %",
        PolicyViolationEvent violation => "violation of " + violation.PolicyId,
        _ => "anomaly " + e.Metric + " " + (e.Direction > 0 ? "up" : "down") + " (" + string.Join(',', e.Keys) + ")",
    };

    private static Dictionary<string, double> MetricsOf(IncidentMember member)
    {
        var e = member.Evidence;
        if (e.Kind != EvidenceKind.Anomaly)
        {
            return [];
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["anomaly_score"] = Math.Round(e.Score, 6) };
        if (member.EndTicks != long.MinValue)
        {
            metrics["duration_seconds"] = (member.EndTicks - e.Ticks) / TimeSpan.TicksPerSecond;
        }

        return metrics;
    }

    private static string Format(long ticks) =>
        new DateTimeOffset(ticks, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
