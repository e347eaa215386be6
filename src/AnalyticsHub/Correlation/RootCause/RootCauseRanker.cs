using System.Globalization;
using AnalyticsHub.Correlation.Topology;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// The one root-cause ranking of the hub. It ranks what could have caused an incident of the <c>correlation</c> stage
/// (decision 25) — change events, security entry points and external causes — and, through <see cref="Explain"/>, the
/// entities behind a metric violation over a <see cref="DependencyGraph"/>. Either way each candidate is a set of
/// evidence features (lag, entity match, specificity, counterfactual, failover; for a violation the share of the
/// target's deviation it explains and the share of its own deviation its dependencies leave), its confidence their
/// weighted mean times its factors, and the candidates are ordered by confidence, then strength, time and name
/// (docs/correlation.md, "Root cause").
/// </summary>
/// <remarks>
/// Entities relate through one seam, <c>IEntityRelations</c>: without a dependency graph an entity moves only itself; a
/// host's graph (<see cref="CorrelationStageOptions.Dependencies"/>) relates an incident's entities along calls; for a
/// violation, the graph and the deviations of the target's metric relate them by how much of one's deviation the
/// other's explains. A proportional surge names no change: the hub says "no cause found". <see cref="Explain"/> is
/// thread-safe; the stage's incident ranking is single-threaded.
/// </remarks>
public sealed class RootCauseRanker
{
    /// <summary>The least confidence of a listed incident candidate.</summary>
    internal const double MinimumConfidence = 0.3;

    /// <summary>The most incident candidates listed.</summary>
    internal const int MaxCandidates = 5;

    internal const double LagWeight = 0.25;
    internal const double EntityWeight = 0.35;
    internal const double SpecificityWeight = 0.2;
    internal const double CounterfactualWeight = 0.2;
    internal const double FailoverWeight = 0.3;

    private static readonly long Hour = TimeSpan.TicksPerHour;
    private static readonly long Day = TimeSpan.TicksPerDay;
    private readonly CauseHistory _history;
    private readonly ClockSkewEstimator _skew;
    private readonly IEntityRelations _relations;
    private readonly RootCauseRankerOptions _options;
    private readonly long _align;
    private readonly long _gap;

    /// <summary>Creates a ranker for explaining metric violations, with the given options (the defaults when null).</summary>
    /// <param name="options">The options of <see cref="Explain"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public RootCauseRanker(RootCauseRankerOptions? options = null)
        : this(new CauseHistory(), new ClockSkewEstimator(), SameEntityRelations.Instance, new CorrelationStageOptions().AlignmentWindow.Ticks, new CorrelationStageOptions().IncidentGap.Ticks, options)
    {
    }

    internal RootCauseRanker(CauseHistory history, ClockSkewEstimator skew, IEntityRelations relations, long alignTicks, long gapTicks, RootCauseRankerOptions? options = null)
    {
        _history = history;
        _skew = skew;
        _relations = relations;
        _align = alignTicks;
        _gap = gapTicks;
        _options = options ?? new RootCauseRankerOptions();
        _options.Validate();
    }

    /// <summary>Gets the options <see cref="Explain"/> runs with.</summary>
    public RootCauseRankerOptions Options => _options;

    /// <summary>
    /// Explains a metric violation: ranks the entities the target depends on (itself included) whose own metric deviated
    /// no later than the target's, by the share of the target's deviation each explains times the share of its own
    /// deviation its anomalous dependencies leave unexplained.
    /// </summary>
    /// <param name="graph">Who calls whom.</param>
    /// <param name="target">The violation to explain.</param>
    /// <param name="normal">Series of the normal period (only the target's metric is read).</param>
    /// <param name="abnormal">Series of the abnormal period, around the target time (only the target's metric is read).</param>
    /// <returns>The ranked candidates; none when the target did not deviate.</returns>
    /// <exception cref="ArgumentException">Two series of one period share an entity and metric.</exception>
    public TopologyExplanation Explain(DependencyGraph graph, TopologyTarget target, IEnumerable<TopologySeries> normal, IEnumerable<TopologySeries> abnormal)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(normal);
        ArgumentNullException.ThrowIfNull(abnormal);
        var relations = DeviationRelations.Of(graph, target, normal, abnormal, _options);
        if (relations.Outcome != TopologyOutcome.Explained)
        {
            return new TopologyExplanation(relations.Outcome, []);
        }

        var hypotheses = new List<RootCauseHypothesis>();
        foreach (var entity in relations.DeviatedBy(target.Entity))
        {
            var h = new RootCauseHypothesis(entity, relations.OnsetOf(entity).UtcTicks, relations.PeakOf(entity));
            hypotheses.Add(ScoreEntity(h, target.Entity, relations));
        }

        var candidates = new List<TopologyRootCause>();
        foreach (var h in Ranked(hypotheses, 0, int.MaxValue))
        {
            candidates.Add(new TopologyRootCause(h.Entity!, h.Confidence, h.ValueOf("explained") ?? 0, h.ValueOf("own") ?? 1, relations.OnsetOf(h.Entity!), h.Strength));
        }

        return new TopologyExplanation(TopologyOutcome.Explained, candidates);
    }

    /// <summary>The ranked analysis of an incident as it stands; no candidate means no cause found.</summary>
    internal RootCauseAnalysis Rank(Incident incident)
    {
        var effects = EffectsOf(incident);
        if (effects.Count == 0)
        {
            return new RootCauseAnalysis { Confidence = 0, CausalChain = [], ContributingFactors = [], Recommendations = [] };
        }

        var firstEffect = long.MaxValue;
        foreach (var effect in effects)
        {
            firstEffect = Math.Min(firstEffect, effect.Ticks);
        }

        var surge = IsProportionalSurge(effects);
        var hypotheses = new List<RootCauseHypothesis>();
        var seen = new HashSet<Guid>();
        var entryPoints = EntryPointsOf(incident);
        foreach (var member in incident.Members)
        {
            var e = member.Evidence;
            if (e.CanBeRoot && e.Kind is EvidenceKind.Change or EvidenceKind.Access)
            {
                var cause = e.Kind == EvidenceKind.Access ? entryPoints[e.Source] : e;
                if (seen.Add(cause.Event.EventId))
                {
                    hypotheses.Add(ScoreEvent(new RootCauseHypothesis(cause, Corrected(cause)), effects, surge));
                }
            }
        }

        foreach (var change in _history.ChangesBetween(incident.Onset - _gap, firstEffect + _align))
        {
            if (change.CanBeRoot && seen.Add(change.Event.EventId))
            {
                hypotheses.Add(ScoreEvent(new RootCauseHypothesis(change, Corrected(change)), effects, surge));
            }
        }

        var firstShown = FirstShown(effects);
        AddExternal(hypotheses, effects, firstShown);
        AddFailedOver(hypotheses, incident, effects, firstShown);
        var ranked = Ranked(hypotheses, MinimumConfidence, MaxCandidates);
        var top = ranked.Count > 0 ? ranked[0] : null;
        return new RootCauseAnalysis
        {
            RootEventId = top?.Evidence?.Event.EventId,
            Confidence = top?.Confidence ?? 0,
            CausalChain = top is null ? [] : ChainOf(top, effects),
            ContributingFactors = FactorsOf(incident, ranked, effects, surge),
            Recommendations = top is null ? [surge ? "No cause found: every series rose in proportion (a surge of demand); check for a campaign or a new customer before acting." : "No cause found: look for a change outside the system."] : [RecommendationOf(top)],
            Candidates = [.. ranked.Select(h => h.ToCandidate())],
        };
    }

    /// <summary>
    /// The entry point of each address among the incident's accesses: its earliest access by event time. Whether an
    /// address is new is decided when its first access arrives, and a login delivered late (a collector's batch) arrives
    /// after the accesses it let in: the address's entry point is still the login, the access that came first in time.
    /// </summary>
    private static Dictionary<string, Evidence> EntryPointsOf(Incident incident)
    {
        var earliest = new Dictionary<string, Evidence>(StringComparer.Ordinal);
        foreach (var member in incident.Members)
        {
            var e = member.Evidence;
            if (e.Kind == EvidenceKind.Access
                && (!earliest.TryGetValue(e.Source, out var first) || e.Ticks < first.Ticks || (e.Ticks == first.Ticks && e.Event.EventId.CompareTo(first.Event.EventId) < 0)))
            {
                earliest[e.Source] = e;
            }
        }

        return earliest;
    }

    /// <summary>The affected series and alerts: per source, its first member (skew-corrected time) and the entities it names.</summary>
    internal List<Effect> EffectsOf(Incident incident)
    {
        var bySource = new Dictionary<string, Effect>(StringComparer.Ordinal);
        foreach (var member in incident.Members)
        {
            var e = member.Evidence;
            if (e.Kind is EvidenceKind.Change or EvidenceKind.Access or EvidenceKind.AnomalyClose)
            {
                continue;
            }

            var ticks = Corrected(e);
            if (!bySource.TryGetValue(e.Source, out var effect) || ticks < effect.Ticks)
            {
                bySource[e.Source] = new Effect(e, ticks);
            }
        }

        var effects = bySource.Values.ToList();
        effects.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : string.CompareOrdinal(a.Evidence.Source, b.Evidence.Source));
        return effects;
    }

    /// <summary>
    /// Whether the effects are a proportional surge: only rising traffic, tokens or spend (and budget alerts), on two or
    /// more models, with nothing failing, slowing, violated or threatened — the shape of demand, not of a change.
    /// </summary>
    internal static bool IsProportionalSurge(List<Effect> effects) => IsProportionalSurge(effects.Select(effect => effect.Evidence));

    /// <summary>
    /// Whether an incident's evidence is a proportional surge (see <see cref="IsProportionalSurge(List{Effect})"/>); its
    /// changes, accesses and anomaly closings are passed over, as they are no effects.
    /// </summary>
    internal static bool IsProportionalSurge(IEnumerable<Evidence> evidence)
    {
        var models = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in evidence)
        {
            switch (e.Kind)
            {
                case EvidenceKind.Anomaly when e.Direction > 0 && e.Category is SignalCategory.Traffic or SignalCategory.Tokens or SignalCategory.Cost:
                case EvidenceKind.Aggregate when e.Category == SignalCategory.Traffic:
                case EvidenceKind.BudgetAlert:
                    break;
                case EvidenceKind.Change or EvidenceKind.Access or EvidenceKind.AnomalyClose:
                    continue;
                default:
                    return false;
            }

            foreach (var key in e.Keys)
            {
                if (key.StartsWith("model_id=", StringComparison.Ordinal))
                {
                    models.Add(key);
                }
            }
        }

        return models.Count >= 2;
    }

    private RootCauseHypothesis ScoreEvent(RootCauseHypothesis h, List<Effect> effects, bool surge)
    {
        double maxRelation = 0, sumRelation = 0;
        var firstRelated = long.MaxValue;
        var related = new List<Effect>();
        var touched = 0;
        foreach (var effect in effects)
        {
            // A change counts only the effects of a kind it can cause (a prompt-template change: tokens and spend).
            var relation = h.Evidence!.CanCause(effect.Evidence) ? Relation(h.Keys, effect.Evidence.Keys) : 0;
            sumRelation += relation;
            maxRelation = Math.Max(maxRelation, relation);
            if (relation >= 0.5)
            {
                related.Add(effect);
                firstRelated = Math.Min(firstRelated, effect.Ticks);
            }
            else if (relation == 0 && Relation(h.Keys, effect.Evidence.Keys) >= 0.5)
            {
                touched++;
            }
        }

        var label = LabelOf(h);
        if (related.Count == 0)
        {
            h.Excluded = true;
            h.Features.Add(new RootCauseFeature("entity", 0, EntityWeight,
                label + (touched > 0 ? " cannot move the kind of signal that moved on what it touched." : " touches nothing that moved.")));
            return h;
        }

        var lag = firstRelated - h.Ticks;
        var lagValue = LagValue(lag);
        h.Excluded = lagValue <= 0;
        h.Features.Add(new RootCauseFeature("lag", Math.Max(0, lagValue), LagWeight,
            label + (lag >= 0 ? " precedes" : " follows") + " the first related effect by " + Seconds(Math.Abs(lag)) + " (skew-corrected)."));
        var entity = Math.Round((0.5 * maxRelation) + (0.5 * sumRelation / effects.Count), 6);
        h.Features.Add(new RootCauseFeature("entity", entity, EntityWeight,
            related.Count.ToString(CultureInfo.InvariantCulture) + " of " + effects.Count.ToString(CultureInfo.InvariantCulture) + " affected series and alerts name what " + label + " changed."));
        var specificity = Specificity(h.Keys, effects);
        h.Features.Add(new RootCauseFeature("specificity", specificity, SpecificityWeight,
            Math.Round(specificity * 100).ToString(CultureInfo.InvariantCulture) + " % of what " + label + " touched moved."));
        var (counterfactual, sentence) = Counterfactual(h.Ticks, related);
        h.Features.Add(new RootCauseFeature("counterfactual", counterfactual, CounterfactualWeight, sentence));
        if (surge && h.Evidence!.Kind == EvidenceKind.Change && IsProportionalSurge(EffectsAtOnset(effects, firstRelated)))
        {
            h.Excluded = true;
            h.Features.Add(new RootCauseFeature("shape", 0, 0, "Every series rose in proportion on several models: a surge of demand, which a change does not explain."));
        }

        return h;
    }

    /// <summary>
    /// The effects that began by <see cref="CorrelationStageOptions.IncidentGap"/> after a change's first related effect
    /// (<paramref name="effects"/> in time order): the incident as it stood when the change's effect began. A surge of
    /// demand excludes a change only when the rise was proportional from there: a surge on other models that joins the
    /// change's incident later (an hour after a template change's first tokens) leaves the change's own effect a change's.
    /// </summary>
    private IEnumerable<Evidence> EffectsAtOnset(List<Effect> effects, long firstRelated)
    {
        foreach (var effect in effects)
        {
            if (effect.Ticks > firstRelated + _gap)
            {
                yield break;
            }

            yield return effect.Evidence;
        }
    }

    /// <summary>
    /// The one order of every ranking: confidence, then strength, then time (earlier first), then the first key; the
    /// candidates above zero and at least <paramref name="minimum"/>, at most <paramref name="max"/>.
    /// </summary>
    internal static List<RootCauseHypothesis> Ranked(List<RootCauseHypothesis> hypotheses, double minimum, int max)
    {
        hypotheses.Sort(static (a, b) =>
        {
            var byConfidence = b.Confidence.CompareTo(a.Confidence);
            if (byConfidence != 0)
            {
                return byConfidence;
            }

            var byStrength = b.Strength.CompareTo(a.Strength);
            return byStrength != 0 ? byStrength : a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : string.CompareOrdinal(a.Keys[0], b.Keys[0]);
        });

        var ranked = new List<RootCauseHypothesis>();
        foreach (var hypothesis in hypotheses)
        {
            if (hypothesis.Confidence > 0 && hypothesis.Confidence >= minimum && ranked.Count < max)
            {
                ranked.Add(hypothesis);
            }
        }

        return ranked;
    }

    /// <summary>
    /// An entity of a violation: <c>explained</c>, the share of the target's deviation its deviation explains, and the
    /// factor <c>own</c>, 1 minus the largest share of its deviation one of its direct dependencies explains.
    /// </summary>
    private static RootCauseHypothesis ScoreEntity(RootCauseHypothesis h, string target, DeviationRelations relations)
    {
        var entity = h.Entity!;
        var explained = relations.Relatedness(entity, target);
        h.Features.Add(new RootCauseFeature("explained", explained, 1,
            entity + "'s deviation explains " + Percent(explained) + " % of " + target + "'s."));
        double upstream = 0;
        string? by = null;
        foreach (var callee in relations.Upstream(entity))
        {
            var share = relations.Relatedness(callee, entity);
            if (share > upstream)
            {
                upstream = share;
                by = callee;
            }
        }

        h.Features.Add(new RootCauseFeature("own", 1 - upstream, 0,
            by is null ? "No dependency of " + entity + " deviated before it the same way." : entity + "'s dependency " + by + " explains " + Percent(upstream) + " % of its deviation.",
            IsFactor: true));
        return h;
    }

    /// <summary>
    /// When an external cause's effects were first shown: the earliest of <paramref name="effects"/> (in time order) that
    /// is not a traffic window aggregate — an episode, a violation, an alert, an error-rate aggregate — or, when every
    /// effect is one, the earliest. A traffic aggregate joins dated back to where its series' move is estimated to begin
    /// (<c>IncidentBuilder</c>'s back-fill), up to an alignment window before the episode that showed the move and earlier
    /// still by noise; error rates are not dated back. An external cause is timed to within an alignment window (its
    /// errors lead the effects; its failover precedes them), finer than that dating, so it is timed against what showed
    /// the move.
    /// </summary>
    private static long FirstShown(List<Effect> effects)
    {
        var firstAggregate = long.MaxValue;
        foreach (var effect in effects)
        {
            if (effect.Evidence.Kind != EvidenceKind.Aggregate || effect.Evidence.Category == SignalCategory.Errors)
            {
                return effect.Ticks;
            }

            firstAggregate = Math.Min(firstAggregate, effect.Ticks);
        }

        return firstAggregate;
    }

    /// <summary>
    /// External candidates: per provider and region named by rising error series, a candidate when its errors lead the
    /// effects as first shown (<paramref name="firstShown"/>, see <see cref="FirstShown"/>) and a failover (a
    /// <c>model_switch</c> naming that provider and region) follows, or when two or more of its models fail there.
    /// </summary>
    private void AddExternal(List<RootCauseHypothesis> hypotheses, List<Effect> effects, long firstShown)
    {
        var groups = new Dictionary<(string Provider, string Region), List<Effect>>();
        var errorSources = 0;
        foreach (var effect in effects)
        {
            var e = effect.Evidence;
            var rising = (e.Kind == EvidenceKind.Anomaly && e.Category == SignalCategory.Errors && e.Direction > 0)
                || (e.Kind == EvidenceKind.Aggregate && e.Category == SignalCategory.Errors);
            if (!rising)
            {
                continue;
            }

            errorSources++;
            if (ValueOf(e.Keys, "provider") is { } provider && ValueOf(e.Keys, "region") is { } region)
            {
                if (!groups.TryGetValue((provider, region), out var list))
                {
                    groups[(provider, region)] = list = [];
                }

                list.Add(effect);
            }
        }

        foreach (var ((provider, region), errors) in groups.OrderBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.Region, StringComparer.Ordinal))
        {
            var first = errors[0].Ticks;
            var models = new HashSet<string>(StringComparer.Ordinal);
            foreach (var error in errors)
            {
                if (ValueOf(error.Evidence.Keys, "model_id") is { } model)
                {
                    models.Add(model);
                }
            }

            var failover = FailoverAfter(provider, region, first);
            var h = new RootCauseHypothesis(provider, region, first);
            var label = "provider " + provider + " in " + region;
            h.Excluded = failover is null && models.Count < 2;
            // The first shown effect is the earliest episode, violation or alert, so the errors lead when they start within
            // the skew residue of it.
            var lead = LagValue(firstShown - first);
            h.Excluded |= lead <= 0;
            h.Features.Add(new RootCauseFeature("lag", Math.Max(0, lead), LagWeight,
                "Errors of " + label + " start " + Seconds(first - firstShown) + " after the first effect shown."));
            var share = Math.Round(errors.Count / (double)errorSources, 6);
            h.Features.Add(new RootCauseFeature("entity", share, EntityWeight,
                errors.Count.ToString(CultureInfo.InvariantCulture) + " of " + errorSources.ToString(CultureInfo.InvariantCulture) + " failing series are of " + label + "."));
            var specificity = models.Count >= 2 ? 1 : 0.5;
            h.Features.Add(new RootCauseFeature("specificity", specificity, SpecificityWeight,
                models.Count.ToString(CultureInfo.InvariantCulture) + (models.Count == 1 ? " model" : " models") + " of " + provider + " fail in " + region + "."));
            var (counterfactual, sentence) = Counterfactual(first, errors);
            h.Features.Add(new RootCauseFeature("counterfactual", counterfactual, CounterfactualWeight, sentence));
            h.Features.Add(new RootCauseFeature("failover", failover is null ? 0 : 1, FailoverWeight,
                failover is null ? "No failover away from " + label + " followed." : "Traffic failed over away from " + label + " " + Seconds(Corrected(failover) - first) + " after its first error."));
            hypotheses.Add(h);
        }
    }

    /// <summary>
    /// External candidates the errors did not name: a failover (a <c>model_switch</c> naming a provider and region, among
    /// the members or in the history from an incident gap before the onset) that precedes the first effect, when no
    /// error series of that provider and region is among the effects (they may have been grouped into another incident
    /// or never crossed a detector's threshold). Its effects are the ones that name the region or the provider, except a
    /// rise of the volume of the provider it left (<see cref="FailoverMoves"/>): the traffic that failed over. Its lag runs
    /// to the first of them shown (<see cref="FirstShown"/>), not to a window aggregate dated back before it.
    /// </summary>
    private void AddFailedOver(List<RootCauseHypothesis> hypotheses, Incident incident, List<Effect> effects, long firstShown)
    {
        var named = new HashSet<(string, string)>();
        foreach (var h in hypotheses)
        {
            if (h.Kind == RootCauseCandidateKind.External)
            {
                named.Add((h.Provider!, h.Region!));
            }
        }

        var switches = new List<Evidence>();
        foreach (var member in incident.Members)
        {
            switches.Add(member.Evidence);
        }

        switches.AddRange(_history.ChangesBetween(incident.Onset - _gap, firstShown + _align));
        foreach (var failover in switches)
        {
            if (failover.Event.Payload is not AuditTrailEvent { Action: "model_switch" }
                || ValueOf(failover.Keys, "provider") is not { } provider || ValueOf(failover.Keys, "region") is not { } region
                || ReturnsTraffic(failover) || !named.Add((provider, region)))
            {
                continue;
            }

            var at = Corrected(failover);
            var related = new List<Effect>();
            foreach (var effect in effects)
            {
                if (FailoverMoves(effect.Evidence, Rises(incident, effect.Evidence), provider, region, failover.SwitchedTo))
                {
                    related.Add(effect);
                }
            }

            var firstRelated = FirstShown(related);

            var h = new RootCauseHypothesis(provider, region, at);
            var label = "provider " + provider + " in " + region;
            if (related.Count == 0)
            {
                h.Excluded = true;
                h.Features.Add(new RootCauseFeature("entity", 0, EntityWeight, "Traffic failed over away from " + label + ", but nothing it can move moved (a series of its region or provider, not a rise of the provider's own volume)."));
                hypotheses.Add(h);
                continue;
            }

            // A switch back after recovery follows the effects: only a failover before them explains them.
            var lag = firstRelated - at;
            var lagValue = LagValue(lag);
            h.Excluded = lagValue <= 0;
            h.Features.Add(new RootCauseFeature("lag", Math.Max(0, lagValue), LagWeight,
                "Traffic failed over away from " + label + " " + Seconds(Math.Abs(lag)) + (lag >= 0 ? " before" : " after") + " the first effect in its region (skew-corrected)."));
            var share = Math.Round(related.Count / (double)effects.Count, 6);
            h.Features.Add(new RootCauseFeature("entity", share, EntityWeight,
                related.Count.ToString(CultureInfo.InvariantCulture) + " of " + effects.Count.ToString(CultureInfo.InvariantCulture) + " affected series and alerts are in " + region + " or of " + provider + "."));
            h.Features.Add(new RootCauseFeature("specificity", 0.5, SpecificityWeight, "No error series of " + label + " is among the effects; the failover names it."));
            var (counterfactual, sentence) = Counterfactual(at, related);
            h.Features.Add(new RootCauseFeature("counterfactual", counterfactual, CounterfactualWeight, sentence));
            h.Features.Add(new RootCauseFeature("failover", 1, FailoverWeight, "Traffic failed over away from " + label + "."));
            hypotheses.Add(h);
        }
    }

    /// <summary>
    /// Whether traffic failed over away from <paramref name="provider"/> in <paramref name="region"/> (onto the model
    /// <paramref name="switchedTo"/>, a <c>model_id=</c> key, when the switch names it) can have moved an effect: one that
    /// names the region or the provider, except a rise (<paramref name="rises"/>) of volume (requests, tokens, spend, a
    /// throughput aggregate) of the provider it left. Traffic moved away from a provider lowers that provider's volume;
    /// the volume it raises is that of the model it went to, so a provider's rising volume is the failover's effect only
    /// on that model.
    /// </summary>
    internal static bool FailoverMoves(Evidence effect, bool rises, string provider, string region, string? switchedTo)
    {
        var keys = effect.Keys;
        var ofProvider = Array.IndexOf(keys, "provider=" + provider) >= 0;
        if (!ofProvider && Array.IndexOf(keys, "region=" + region) < 0)
        {
            return false;
        }

        var risingVolume = rises && effect.Category is SignalCategory.Traffic or SignalCategory.Tokens or SignalCategory.Cost;
        return !(risingVolume && ofProvider) || (switchedTo is not null && Array.IndexOf(keys, switchedTo) >= 0);
    }

    /// <summary>
    /// Whether an effect rose: an episode by its direction; a window aggregate by the incident's summed deviations of its
    /// series since the onset (<see cref="SeriesInvolvement.Sums"/>), the largest in size deciding; an aggregate whose
    /// series the incident does not measure is taken as no rise.
    /// </summary>
    private static bool Rises(Incident incident, Evidence effect)
    {
        if (effect.Kind != EvidenceKind.Aggregate)
        {
            return effect.Direction > 0;
        }

        foreach (var (series, involvement) in incident.Involvements)
        {
            if (!IsSeriesOf(series, effect.Series))
            {
                continue;
            }

            var largest = 0.0;
            foreach (var sum in involvement.Sums)
            {
                if (Math.Abs(sum) > Math.Abs(largest))
                {
                    largest = sum;
                }
            }

            return largest > 0;
        }

        return false;
    }

    private static bool IsSeriesOf(AggregateSeries series, string? name)
    {
        foreach (var entry in series.Ring)
        {
            if (entry is { } kept)
            {
                return kept.Evidence.Series == name;
            }
        }

        return false;
    }

    private Evidence? FailoverAfter(string provider, string region, long from)
    {
        foreach (var change in _history.ChangesBetween(from - _align, from + _gap))
        {
            if (change.Event.Payload is AuditTrailEvent { Action: "model_switch" }
                && Array.IndexOf(change.Keys, "provider=" + provider) >= 0 && Array.IndexOf(change.Keys, "region=" + region) >= 0
                && !ReturnsTraffic(change))
            {
                return change;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a <c>model_switch</c> returns a route's traffic: it moves the route (its resource) back from the model the
    /// route's previous switch moved it onto, to the model that switch moved it away from, and that previous switch was a
    /// failover, not itself a return. A return follows the provider's recovery — the outage it ends was an earlier
    /// incident's — so it moves no traffic away from the provider it names and is no failover: neither the cause of what
    /// moves after it (a deploy's regression of the model it returns to, the next fault of that provider) nor the failover
    /// that marks an outage. The route's switches are read from the history (the latest changes) in event-time order, ties
    /// by event id; when the history has forgotten changes, its oldest kept switch of the route may itself have been a
    /// return, so a chain that starts there proves nothing and the switch is taken as before this rule (no return).
    /// </summary>
    internal bool ReturnsTraffic(Evidence change)
    {
        if (change.SwitchedFrom is null || change.SwitchedTo is null
            || change.Event.Payload is not AuditTrailEvent { Action: "model_switch" } audit)
        {
            return false;
        }

        var route = new List<Evidence>();
        foreach (var earlier in _history.ChangesBetween(long.MinValue, change.Ticks))
        {
            if (earlier.Event.Payload is AuditTrailEvent { Action: "model_switch" } other && other.ResourceId == audit.ResourceId
                && SwitchOrder(earlier, change) < 0)
            {
                route.Add(earlier);
            }
        }

        route.Sort(SwitchOrder);
        route.Add(change);

        // Each switch of the route is a return (true), a failover (false) or unknown (null: it reverses a switch whose own
        // standing is unknown). The first kept switch is a failover unless the history forgot what came before it.
        bool? returns = null;
        Evidence? previous = null;
        foreach (var step in route)
        {
            var reverses = previous is not null && step.SwitchedFrom is not null
                && step.SwitchedFrom == previous.SwitchedTo && step.SwitchedTo == previous.SwitchedFrom;
            returns = previous is null ? (_history.ForgotChanges ? null : false)
                : !reverses ? false
                : returns is { } previousReturns ? !previousReturns : null;
            previous = step;
        }

        return returns == true;
    }

    /// <summary>Switches in event-time order, ties by event id.</summary>
    private static int SwitchOrder(Evidence a, Evidence b) =>
        a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Event.EventId.CompareTo(b.Event.EventId);

    /// <summary>
    /// How plausible a lag from cause to first effect is: 1 from zero to the alignment window; a cause after its effect
    /// loses half its value over one alignment window (the residue of clock skew) and is excluded beyond; a longer lag
    /// decays linearly to 0.2 over three incident gaps.
    /// </summary>
    internal double LagValue(long lag)
    {
        if (lag < -_align)
        {
            return 0;
        }

        if (lag < 0)
        {
            return Math.Round(1 + (0.5 * lag / _align), 6);
        }

        if (lag <= _align)
        {
            return 1;
        }

        return Math.Round(Math.Max(0.2, 1 - (0.8 * (lag - _align) / (3.0 * _gap))), 6);
    }

    /// <summary>How strongly a cause naming <paramref name="causeKeys"/> relates to an effect naming <paramref name="effectKeys"/>: the best relation of a key pair times the cause key's weight, at most 1.</summary>
    internal double Relation(string[] causeKeys, string[] effectKeys)
    {
        double best = 0;
        foreach (var cause in causeKeys)
        {
            var weight = Evidence.WeightOf(cause);
            foreach (var effect in effectKeys)
            {
                best = Math.Max(best, weight * _relations.Relatedness(cause, effect));
            }
        }

        return Math.Min(1, best);
    }

    /// <summary>The weighted share of the candidate's entities that some effect names: a decoy deploy of another service scores 0.</summary>
    private double Specificity(string[] causeKeys, List<Effect> effects)
    {
        double touched = 0, total = 0;
        foreach (var cause in causeKeys)
        {
            var weight = Evidence.WeightOf(cause);
            total += weight;
            foreach (var effect in effects)
            {
                if (Relation([cause], effect.Evidence.Keys) > 0)
                {
                    touched += weight;
                    break;
                }
            }
        }

        return total == 0 ? 0 : Math.Round(touched / total, 6);
    }

    /// <summary>
    /// The counterfactual: did the related anomaly series move without the candidate — an episode opening in the hour
    /// before it (up to an alignment window before), or within half an hour of the same time on each of the seven earlier
    /// days the history covers? 1 − the share that did; 0.5 when there is no series or no history to compare.
    /// </summary>
    private (double Value, string Sentence) Counterfactual(long ticks, List<Effect> related)
    {
        var start = _history.Start;
        var series = 0;
        var moved = 0;
        var preceding = start <= ticks - Hour;
        var days = 0;
        for (var k = 1; k <= 7 && start <= ticks - (k * Day) - (Hour / 2); k++)
        {
            days = k;
        }

        foreach (var effect in related)
        {
            if (effect.Evidence.Kind != EvidenceKind.Anomaly)
            {
                continue;
            }

            series++;
            var source = effect.Evidence.Source;
            var before = preceding && _history.OpenedBetween(source, ticks - Hour, ticks - _align);
            for (var k = 1; k <= days && !before; k++)
            {
                before = _history.OpenedBetween(source, ticks - (k * Day) - (Hour / 2), ticks - (k * Day) + (Hour / 2));
            }

            moved += before ? 1 : 0;
        }

        if (series == 0 || (!preceding && days == 0))
        {
            return (0.5, series == 0 ? "No anomaly series to compare against its earlier windows." : "Too little history to compare the series against earlier windows.");
        }

        var value = Math.Round(1 - (moved / (double)series), 6);
        var windows = days > 0 ? "the preceding hour and the same hours of " + days.ToString(CultureInfo.InvariantCulture) + (days == 1 ? " earlier day" : " earlier days") : "the preceding hour";
        return (value, moved == 0
            ? "None of the " + series.ToString(CultureInfo.InvariantCulture) + " related series moved in " + windows + "."
            : moved.ToString(CultureInfo.InvariantCulture) + " of " + series.ToString(CultureInfo.InvariantCulture) + " related series also moved in " + windows + ".");
    }

    private List<CausalLink> ChainOf(RootCauseHypothesis top, List<Effect> effects)
    {
        var chain = new List<CausalLink>();
        Guid from;
        long fromTicks;
        if (top.Evidence is { } cause)
        {
            from = cause.Event.EventId;
            fromTicks = top.Ticks;
        }
        else
        {
            // An external cause has no event: the chain starts at its first failing series.
            var first = effects.FirstOrDefault(e => e.Evidence.Category == SignalCategory.Errors && Array.IndexOf(e.Evidence.Keys, top.Keys[0]) >= 0 && Array.IndexOf(e.Evidence.Keys, top.Keys[1]) >= 0) ?? effects[0];
            from = first.Evidence.Event.EventId;
            fromTicks = first.Ticks;
        }

        foreach (var effect in effects)
        {
            var relation = Relation(top.Keys, effect.Evidence.Keys);
            var id = effect.Evidence.Event.EventId;
            if (id == from || effect.Ticks < fromTicks - _align)
            {
                continue;
            }

            var delta = effect.Ticks - fromTicks;
            chain.Add(new CausalLink
            {
                FromEventId = from,
                ToEventId = id,
                Relationship = relation >= 0.5 ? (delta <= _align ? CausalRelationship.DirectCause : CausalRelationship.IndirectCause) : CausalRelationship.Correlation,
                Strength = Math.Round(Math.Max(relation, 0.25) * Math.Max(0.2, LagValue(delta)), 6),
                TimeDeltaMs = delta / TimeSpan.TicksPerMillisecond,
            });
        }

        return chain;
    }

    private static List<string> FactorsOf(Incident incident, List<RootCauseHypothesis> ranked, List<Effect> effects, bool surge)
    {
        var factors = new List<string>();
        for (var i = 1; i < ranked.Count; i++)
        {
            factors.Add("Also possible: " + LabelOf(ranked[i]) + " (confidence " + ranked[i].Confidence.ToString("0.00", CultureInfo.InvariantCulture) + ").");
        }

        bool errors = false, spend = false, traffic = false, budget = false;
        foreach (var effect in effects)
        {
            var e = effect.Evidence;
            errors |= e.Category == SignalCategory.Errors && (e.Kind == EvidenceKind.Aggregate || e.Direction > 0);
            spend |= e.Kind == EvidenceKind.Anomaly && e.Direction > 0 && e.Category is SignalCategory.Tokens or SignalCategory.Cost;
            traffic |= e.Kind == EvidenceKind.Anomaly && e.Direction > 0 && e.Category == SignalCategory.Traffic;
            budget |= e.Kind == EvidenceKind.BudgetAlert;
        }

        if (errors && spend)
        {
            factors.Add("Failed requests were retried while tokens and spend rose: retries amplified the cost.");
        }

        if (traffic && !surge)
        {
            factors.Add("Traffic rose during the incident.");
        }

        if (budget)
        {
            factors.Add("Spend is projected past a budget.");
        }

        if (incident.MembersOmitted > 0)
        {
            factors.Add(incident.MembersOmitted.ToString(CultureInfo.InvariantCulture) + " members were left out at the member cap; the ranking saw the rest.");
        }

        return factors;
    }

    private static string RecommendationOf(RootCauseHypothesis top)
    {
        if (top.Evidence is not { } cause)
        {
            return "Keep traffic away from provider " + top.Provider + " in " + top.Region + " until it recovers, and check its status page.";
        }

        var model = ValueOf(cause.Keys, "model_id");
        var on = model is null ? string.Empty : " of model " + model;
        return cause.Event.Payload switch
        {
            AuditTrailEvent { Action: "deploy" } a => "Roll back deploy " + a.ResourceId + on + ".",
            AuditTrailEvent { Action: "prompt_template_change" } a => "Revert prompt template change " + a.ResourceId + ".",
            AuditTrailEvent { Action: "policy_update" } a => "Roll back the update of policy " + a.ResourceId + " and review what it blocked.",
            AuditTrailEvent { Action: "key_created" } a => "Revoke key " + a.ResourceId + ".",
            AuditTrailEvent a => "Revert " + a.Action.Replace('_', ' ') + " " + a.ResourceId + on + ".",
            AuthEvent auth => "Revoke the credentials of " + auth.UserId + " and block address " + ValueOf(cause.Keys, "source_ip") + ".",
            _ => "Review " + LabelOf(top) + ".",
        };
    }

    private static string LabelOf(RootCauseHypothesis h) => h.Evidence?.Event.Payload switch
    {
        AuditTrailEvent a => a.Action + " " + a.ResourceId,
        AuthEvent auth => "access by " + auth.UserId + " from " + ValueOf(h.Keys, "source_ip"),
        _ => h.Evidence is null ? "provider " + h.Provider + " in " + h.Region : "event " + h.Evidence.Event.EventId,
    };

    private static string? ValueOf(string[] keys, string name)
    {
        foreach (var key in keys)
        {
            if (key.Length > name.Length && key[name.Length] == '=' && key.StartsWith(name, StringComparison.Ordinal))
            {
                return key[(name.Length + 1)..];
            }
        }

        return null;
    }

    private long Corrected(Evidence e) => e.Ticks - _skew.SkewOf(CorrelationRules.ModuleOf(e));

    private static string Percent(double share) => Math.Round(share * 100).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(long ticks) => (ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + " s";

    /// <summary>An affected series or alert: its first member and that member's skew-corrected time.</summary>
    internal sealed record Effect(Evidence Evidence, long Ticks);
}
