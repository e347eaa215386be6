using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// Scores an incident engine against ground truth: matching by Jaccard, root-cause accuracy, grouping
/// and type F1, distractors, roots named for negative controls, impact error and throughput. Add each
/// scenario's run, then read <see cref="Result"/>; a run is not kept after it is added.
/// </summary>
/// <remarks>The metrics are defined in docs/simulation.md, "Incident scoring". Not thread-safe.</remarks>
public sealed class IncidentScorer
{
    /// <summary>The least true extra cost the relative impact error divides by, in USD: below a quarter, a cost error is judged in quarters of a dollar.</summary>
    public const double CostFloorUsd = 0.25;

    private readonly List<double> _groupingF1 = [];
    private readonly List<double> _costErrors = [];
    private readonly List<ulong> _seeds = [];
    private int _trueIncidents;
    private int _rooted;
    private int _predicted;
    private int _matched;
    private int _top1;
    private int _top3;
    private long _typeTruePositives;
    private long _typeFalsePositives;
    private long _typeFalseNegatives;
    private int _typePairs;
    private long _distractors;
    private long _distractorsMerged;
    private long _distractorsAlone;
    private int _negativeControlRoots;
    private long _events;
    private TimeSpan _engineTime;

    /// <summary>Scores a set of runs.</summary>
    /// <param name="runs">One run per scenario.</param>
    /// <returns>The score.</returns>
    public static IncidentScore Score(IEnumerable<IncidentScenarioRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var scorer = new IncidentScorer();
        foreach (var run in runs)
        {
            scorer.Add(run);
        }

        return scorer.Result();
    }

    /// <summary>Adds one scenario's run.</summary>
    /// <param name="run">The run.</param>
    public void Add(IncidentScenarioRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var labels = run.Labels;
        var incidents = run.Truth.Incidents;
        var predictions = run.Predictions;
        var (trueSets, predictedSets) = Sets(run);
        var trueAll = new HashSet<Guid>();
        foreach (var set in trueSets)
        {
            trueAll.UnionWith(set);
        }

        var matches = IncidentMatcher.Match(trueSets, predictedSets);
        var matchOf = new int[incidents.Count];
        Array.Fill(matchOf, -1);
        foreach (var match in matches)
        {
            matchOf[match.TrueIndex] = match.PredictedIndex;
        }

        _seeds.Add(run.Truth.Seed);
        _trueIncidents += incidents.Count;
        _predicted += predictions.Count;
        _matched += matches.Count;
        ScoreRoots(incidents, predictions, matchOf, labels);
        _groupingF1.Add(PairCounts.Compute(trueSets, predictedSets).F1);
        foreach (var match in matches)
        {
            ScoreTypes(incidents[match.TrueIndex], predictions[match.PredictedIndex]);
            var truthCost = incidents[match.TrueIndex].Impact.AdditionalCostUsd;
            var predictedCost = predictions[match.PredictedIndex].Impact.AdditionalCostUsd;
            _costErrors.Add(Math.Abs(predictedCost - truthCost) / Math.Max(Math.Abs(truthCost), CostFloorUsd));
        }

        ScoreDistractors(labels.DistractorEvents, trueAll, predictedSets);

        _negativeControlRoots += CountNegativeControlRoots(incidents, predictions, matches);
        _events += run.EventsObserved;
        _engineTime += run.EngineTime;
    }

    /// <summary>The score of every run added so far.</summary>
    /// <returns>The score.</returns>
    public IncidentScore Result()
    {
        var seconds = _engineTime.TotalSeconds;
        return new IncidentScore
        {
            Seeds = [.. _seeds],
            Scenarios = _groupingF1.Count,
            TrueIncidents = _trueIncidents,
            RootedIncidents = _rooted,
            PredictedIncidents = _predicted,
            MatchedIncidents = _matched,
            RootCauseAc1 = Ratio(_top1, _rooted),
            RootCauseAc3 = Ratio(_top3, _rooted),
            GroupingF1 = _groupingF1.Count == 0 ? null : _groupingF1.Average(),
            ScenarioGroupingF1 = [.. _groupingF1],
            TypeF1 = _typePairs == 0 ? null : Ratio(2 * _typeTruePositives, (2 * _typeTruePositives) + _typeFalsePositives + _typeFalseNegatives) ?? 1.0,
            DistractorEvents = _distractors,
            DistractorEventsMerged = _distractorsMerged,
            DistractorEventsAlone = _distractorsAlone,
            DistractorRate = Ratio(_distractorsMerged, _distractors),
            DistractorAloneRate = Ratio(_distractorsAlone, _distractors),
            NegativeControlRoots = _negativeControlRoots,
            ImpactCostMedianRelError = _costErrors.Count == 0 ? null : TimeBucketIncidentEngine.Median([.. _costErrors]),
            EventsObserved = _events,
            EngineSeconds = seconds,
            EventsPerSecond = seconds > 0 ? _events / seconds : null,
        };
    }

    /// <summary>The true and predicted incidents of a run as sets of canonical event ids (derived events expanded to their evidence).</summary>
    /// <param name="run">The run.</param>
    /// <returns>One set per true incident and one per predicted incident, in order.</returns>
    internal static (IReadOnlySet<Guid>[] True, IReadOnlySet<Guid>[] Predicted) Sets(IncidentScenarioRun run)
    {
        var labels = run.Labels;
        var incidents = run.Truth.Incidents;
        var predictions = run.Predictions;
        var trueSets = new IReadOnlySet<Guid>[incidents.Count];
        for (var t = 0; t < incidents.Count; t++)
        {
            var set = new HashSet<Guid>();
            foreach (var member in incidents[t].Members)
            {
                labels.AddMembers(member.EventId, set);
            }

            trueSets[t] = set;
        }

        var predictedSets = new IReadOnlySet<Guid>[predictions.Count];
        for (var p = 0; p < predictions.Count; p++)
        {
            var set = new HashSet<Guid>();
            foreach (var id in predictions[p].EventIds)
            {
                labels.AddMembers(id, set);
            }

            predictedSets[p] = set;
        }

        return (trueSets, predictedSets);
    }

    /// <summary>Whether a root is rooted-and-nameable: not a negative control, and an event root was delivered.</summary>
    internal static bool IsNameable(IncidentTruth incident) =>
        !incident.NegativeControl && incident.Root is { } root && (root.Kind != "event" || (root.Emitted && root.EventId is not null));

    /// <summary>Whether a candidate names the true root.</summary>
    internal static bool Names(RootCandidate candidate, RootCauseTruth root, IncidentEventLabels labels)
    {
        if (string.Equals(root.Kind, "external", StringComparison.Ordinal))
        {
            return candidate.EventId is null
                && string.Equals(candidate.Provider, root.Provider, StringComparison.OrdinalIgnoreCase)
                && string.Equals(candidate.Region, root.Region, StringComparison.OrdinalIgnoreCase);
        }

        return candidate.EventId is { } id && root.EventId is { } rootId && labels.Canonical(id) == labels.Canonical(rootId);
    }

    private static double? Ratio(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;

    private static int CountNegativeControlRoots(IReadOnlyList<IncidentTruth> incidents, IReadOnlyList<PredictedIncident> predictions, IReadOnlyList<IncidentMatch> matches)
    {
        var nothingToName = true;
        foreach (var incident in incidents)
        {
            nothingToName &= incident.Root is null || incident.NegativeControl;
        }

        var counted = new HashSet<int>();
        if (nothingToName)
        {
            for (var p = 0; p < predictions.Count; p++)
            {
                if (predictions[p].RootCandidates.Count > 0)
                {
                    counted.Add(p);
                }
            }
        }

        foreach (var match in matches)
        {
            if (incidents[match.TrueIndex].NegativeControl && predictions[match.PredictedIndex].RootCandidates.Count > 0)
            {
                counted.Add(match.PredictedIndex);
            }
        }

        return counted.Count;
    }

    /// <summary>
    /// A distractor event in a predicted group that holds a true member contaminates an incident; one in groups without
    /// any true member is reported on its own (an unblamed blip, not an error). The first group that holds it decides.
    /// </summary>
    private void ScoreDistractors(IReadOnlySet<Guid> distractors, HashSet<Guid> trueAll, IReadOnlySet<Guid>[] predictedSets)
    {
        _distractors += distractors.Count;
        if (distractors.Count == 0)
        {
            return;
        }

        var seen = new HashSet<Guid>();
        foreach (var set in predictedSets)
        {
            var holdsTrue = set.Overlaps(trueAll);
            foreach (var id in set)
            {
                if (distractors.Contains(id) && seen.Add(id))
                {
                    if (holdsTrue)
                    {
                        _distractorsMerged++;
                    }
                    else
                    {
                        _distractorsAlone++;
                    }
                }
            }
        }
    }

    private void ScoreRoots(IReadOnlyList<IncidentTruth> incidents, IReadOnlyList<PredictedIncident> predictions, int[] matchOf, IncidentEventLabels labels)
    {
        for (var t = 0; t < incidents.Count; t++)
        {
            if (!IsNameable(incidents[t]))
            {
                continue;
            }

            _rooted++;
            if (matchOf[t] < 0)
            {
                continue;
            }

            var candidates = predictions[matchOf[t]].RootCandidates;
            var root = incidents[t].Root!;
            for (var rank = 0; rank < Math.Min(3, candidates.Count); rank++)
            {
                if (Names(candidates[rank], root, labels))
                {
                    _top3++;
                    if (rank == 0)
                    {
                        _top1++;
                    }

                    break;
                }
            }
        }
    }

    private void ScoreTypes(IncidentTruth incident, PredictedIncident prediction)
    {
        var truth = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in incident.CorrelationTypes)
        {
            truth.Add(name);
        }

        var predicted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in prediction.CorrelationTypes)
        {
            predicted.Add(CorrelationTypeNames.ToWire(type));
        }

        _typePairs++;
        foreach (var name in predicted)
        {
            if (truth.Contains(name))
            {
                _typeTruePositives++;
            }
            else
            {
                _typeFalsePositives++;
            }
        }

        foreach (var name in truth)
        {
            if (!predicted.Contains(name))
            {
                _typeFalseNegatives++;
            }
        }
    }
}
