using AnalyticsHub.Correlation.RootCause;
namespace AnalyticsHub.Correlation;

/// <summary>
/// Links an incident's members into causal links (docs/correlation.md, "Causal links"): each source's first member, in
/// event time corrected for its module's estimated clock skew, is linked from the latest earlier member that can
/// propagate to it, else from the root, else from the member just before it as a plain correlation.
/// </summary>
internal static class CausalLinker
{
    /// <summary>The most sources linked per incident (the earliest ones); a link list stays small whatever the incident's size.</summary>
    public const int MaxLinkedSources = 64;

    /// <summary>The links of an incident, ordered by the corrected time of the later event.</summary>
    /// <param name="incident">The incident.</param>
    /// <param name="root">Its root member, if any.</param>
    /// <param name="skew">The modules' estimated clock offsets.</param>
    /// <param name="alignTicks">The alignment window: a root's effect within it is a direct cause; strengths fade over three of it.</param>
    public static List<CausalLink> Link(Incident incident, IncidentMember? root, ClockSkewEstimator skew, long alignTicks)
    {
        var firsts = new Dictionary<string, (IncidentMember Member, long Ticks)>(StringComparer.Ordinal);
        foreach (var member in incident.Members)
        {
            var e = member.Evidence;
            var ticks = e.Ticks - skew.SkewOf(CorrelationRules.ModuleOf(e));
            if (!firsts.TryGetValue(e.Source, out var first) || ticks < first.Ticks
                || (ticks == first.Ticks && e.Event.EventId.CompareTo(first.Member.Evidence.Event.EventId) < 0))
            {
                firsts[e.Source] = (member, ticks);
            }
        }

        var nodes = new List<(IncidentMember Member, long Ticks)>(firsts.Values);
        nodes.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Member.Evidence.Event.EventId.CompareTo(b.Member.Evidence.Event.EventId));
        if (nodes.Count > MaxLinkedSources)
        {
            nodes.RemoveRange(MaxLinkedSources, nodes.Count - MaxLinkedSources);
        }

        var rootIndex = root is null ? -1 : nodes.FindIndex(n => ReferenceEquals(n.Member, root) || n.Member.Evidence.Source == root.Evidence.Source);
        var links = new List<CausalLink>(Math.Max(0, nodes.Count - 1));
        var fade = 3.0 * alignTicks;
        for (var i = 1; i < nodes.Count; i++)
        {
            var to = nodes[i];
            var from = -1;
            CausalRelationship relationship = default;
            for (var j = i - 1; j >= 0 && from < 0; j--)
            {
                if (j != rootIndex && Propagates(nodes[j].Member.Evidence, to.Member.Evidence) is { } rule)
                {
                    (from, relationship) = (j, rule);
                }
            }

            if (from < 0 && rootIndex >= 0 && rootIndex < i)
            {
                from = rootIndex;
                relationship = to.Ticks - nodes[rootIndex].Ticks <= alignTicks ? CausalRelationship.DirectCause : CausalRelationship.IndirectCause;
            }

            if (from < 0)
            {
                (from, relationship) = (i - 1, CausalRelationship.Correlation);
            }

            var delta = to.Ticks - nodes[from].Ticks;
            var closeness = Math.Max(0, 1 - (delta / fade));
            links.Add(new CausalLink
            {
                FromEventId = nodes[from].Member.Evidence.Event.EventId,
                ToEventId = to.Member.Evidence.Event.EventId,
                Relationship = relationship,
                Strength = Math.Round(relationship == CausalRelationship.Correlation ? 0.5 * closeness : 0.5 + (0.5 * closeness), 6),
                TimeDeltaMs = delta / TimeSpan.TicksPerMillisecond,
            });
        }

        return links;
    }

    /// <summary>
    /// The propagation rules, each a known way one signal leads to another: slow or failing requests are retried
    /// (amplification of traffic and tokens), more traffic or tokens cost more (amplification), rising spend sets off a
    /// projected budget alert, a blocking policy's violations are errors, an access from a new address is followed by the
    /// usage, spend, traffic and threats it causes, and failing requests bring a failover or rollback.
    /// </summary>
    internal static CausalRelationship? Propagates(Evidence from, Evidence to)
    {
        var (fromCategory, fromUp) = SignalOf(from);
        var (toCategory, toUp) = SignalOf(to);
        var failing = fromUp && fromCategory is SignalCategory.Latency or SignalCategory.Errors;
        var usage = toUp && toCategory is SignalCategory.Traffic or SignalCategory.Tokens or SignalCategory.Cost;
        return (from.Kind, to.Kind) switch
        {
            (EvidenceKind.Access, _) when usage || to.Kind == EvidenceKind.Threat => CausalRelationship.DirectCause,
            (EvidenceKind.PolicyViolation, _) when toUp && toCategory == SignalCategory.Errors => CausalRelationship.DirectCause,
            (_, EvidenceKind.BudgetAlert) when fromUp && fromCategory is SignalCategory.Cost => CausalRelationship.DirectCause,
            (_, EvidenceKind.BudgetAlert) when fromUp && fromCategory is SignalCategory.Tokens or SignalCategory.Traffic => CausalRelationship.Amplification,
            (_, EvidenceKind.Change) when failing && !to.CanBeRoot => CausalRelationship.DirectCause,
            _ when failing && toUp && toCategory is SignalCategory.Traffic or SignalCategory.Tokens => CausalRelationship.Amplification,
            _ when fromUp && fromCategory is SignalCategory.Traffic or SignalCategory.Tokens && toUp && toCategory == SignalCategory.Cost => CausalRelationship.Amplification,
            _ => null,
        };
    }

    /// <summary>What a member measures and whether it rose: an episode by its direction; an error-rate aggregate joined by rising.</summary>
    private static (SignalCategory Category, bool Up) SignalOf(Evidence e) => e.Kind switch
    {
        EvidenceKind.Anomaly => (e.Category, e.Direction > 0),
        EvidenceKind.Aggregate when e.Category == SignalCategory.Errors => (SignalCategory.Errors, true),
        _ => (SignalCategory.None, false),
    };
}
