using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// The per-incident report of <c>incidents --report</c>: for each true incident, how its members spread over the
/// engine's incidents (which one matched, which split off, which stages were missed), and for each predicted incident
/// what it holds beyond its best true incident (other incidents' members, distractors, events of no incident).
/// </summary>
/// <remarks>Events are named by their measurement, model and region (non-request events only, recorded while streaming). Not thread-safe.</remarks>
public sealed class IncidentBreakdown
{
    private static readonly string[] SourceNames = ["event", "aggregate", "episode"];

    private readonly Dictionary<Guid, string> _names = [];
    private readonly HashSet<Guid> _aggregates = [];

    /// <summary>Records how to name an event of the stream (request-level events are never members and are skipped).</summary>
    /// <param name="evt">A producer event.</param>
    public void Observe(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (evt.SourceModule == SourceModule.LlmAnalyticsHub || evt.Payload is LatencyMetrics or TokenUsageMetrics or TokenCostEvent)
        {
            return;
        }

        var point = PointExtractor.Extract(evt);
        var tags = point.Tags;
        var what = point.Measurement + (tags.TryGetValue("model_id", out var model) ? ":" + model : string.Empty)
            + (tags.TryGetValue("region", out var region) ? "@" + region : string.Empty)
            + (evt.Payload is AuditTrailEvent audit ? ":" + audit.Action : string.Empty);
        _names.TryAdd(evt.EventId, what);
        if (evt.Payload is ErrorRateMetrics or ThroughputMetrics)
        {
            _aggregates.Add(evt.EventId);
        }
    }

    /// <summary>Writes the breakdown of one engine's run on one scenario.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="engine">The engine's name.</param>
    /// <param name="run">The run.</param>
    /// <param name="derived">The derived events the engine emitted: its anomaly episodes are listed by metric, series and start.</param>
    public void Write(TextWriter writer, string engine, IncidentScenarioRun run, IReadOnlyList<AnalyticsEvent> derived)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(derived);
        var episodes = new Dictionary<Guid, string>();
        foreach (var evt in derived)
        {
            var tags = evt.Common.Tags;
            if (evt.Payload is CustomPayload { CustomType: IncidentEventLabeler.AnomalyCustomType } && tags.TryGetValue("metric", out var metric) && !tags.ContainsKey("episode_end"))
            {
                var series = string.Join(',', tags.Where(kv => kv.Key is not ("metric" or "statistic" or "anomaly_phase" or "episode_start" or "detected_at" or "expected_lower" or "expected_upper" or "peak_score" or "points" or "duration_seconds" or "source_module" or "environment")).Select(kv => kv.Value));
                episodes[evt.EventId] = FormattableString.Invariant($"{metric}[{series}]@{evt.Timestamp:HH:mm}");
            }
        }

        var (trueSets, predictedSets) = IncidentScorer.Sets(run);
        var incidents = run.Truth.Incidents;
        var matches = IncidentMatcher.Match(trueSets, predictedSets);
        var owner = new Dictionary<Guid, int>();
        for (var t = trueSets.Length - 1; t >= 0; t--)
        {
            foreach (var id in trueSets[t])
            {
                owner[id] = t;
            }
        }

        var pairs = PairCounts.Compute(trueSets, predictedSets);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== {engine}, seed {run.Truth.Seed}: grouping F1 {pairs.F1:F3} (true pairs {pairs.TruePairs}, predicted {pairs.PredictedPairs}, both {pairs.BothPairs}); {predictedSets.Length} predicted"));
        for (var t = 0; t < trueSets.Length; t++)
        {
            var incident = incidents[t];
            IncidentMatch? match = null;
            foreach (var m in matches)
            {
                if (m.TrueIndex == t)
                {
                    match = m;
                }
            }

            var spread = new SortedDictionary<int, int>();
            var covered = new HashSet<Guid>();
            for (var p = 0; p < predictedSets.Length; p++)
            {
                var n = 0;
                foreach (var id in predictedSets[p])
                {
                    if (trueSets[t].Contains(id))
                    {
                        n++;
                        covered.Add(id);
                    }
                }

                if (n > 0)
                {
                    spread[p] = n;
                }
            }

            var missed = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var id in trueSets[t])
            {
                if (!covered.Contains(id))
                {
                    var name = _names.GetValueOrDefault(id, "derived");
                    missed[name] = missed.GetValueOrDefault(name) + 1;
                }
            }

            // Members the engine placed, but not in the matched incident (or in the one holding the most when none matched).
            var home = match is { } matched ? matched.PredictedIndex : spread.Count == 0 ? -1 : spread.MaxBy(kv => kv.Value).Key;
            var elsewhere = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var id in covered)
            {
                if (home >= 0 && !predictedSets[home].Contains(id))
                {
                    var name = _names.GetValueOrDefault(id, "derived");
                    elsewhere[name] = elsewhere.GetValueOrDefault(name) + 1;
                }
            }

            writer.WriteLine(FormattableString.Invariant(
                $"  T{t} {incident.Id} {incident.Start:HH:mm}-{incident.End:HH:mm} {trueSets[t].Count} members ({Pairs(trueSets[t].Count)} pairs): ")
                + (match is null ? "unmatched" : $"P{match.Value.PredictedIndex} J={(double)match.Value.Intersection / match.Value.Union:F2}")
                + "; in " + (spread.Count == 0 ? "none" : string.Join(' ', spread.Select(kv => $"P{kv.Key}:{kv.Value}")))
                + (missed.Count == 0 ? string.Empty : "; missed " + string.Join(' ', missed.Select(kv => $"{kv.Key}×{kv.Value}")))
                + (elsewhere.Count == 0 ? string.Empty : $"; only outside P{home} " + string.Join(' ', elsewhere.Select(kv => $"{kv.Key}×{kv.Value}"))));
            // The root: of the matched incident, or of the one holding most of the members when none matched.
            if (home >= 0)
            {
                var predicted = run.Predictions[home];
                var root = incident.Root;
                var trueRoot = root is null ? "none" : root.Kind == "external" ? $"external:{root.Provider}/{root.Region}"
                    : root.EventId is { } rootId ? NameOf(rootId, run) : "event (not delivered)";
                var candidates = predicted.RootCandidates.Count == 0 ? "none" : string.Join(", ", predicted.RootCandidates.Select((c, rank) =>
                    (root is not null && IncidentScorer.Names(c, root, run.Labels) ? "*" : string.Empty)
                    + (c.EventId is { } id ? NameOf(id, run) : $"external:{c.Provider}/{c.Region}")
                    + (c.Confidence is { } confidence ? FormattableString.Invariant($" ({confidence:F3})") : string.Empty)));
                writer.WriteLine(FormattableString.Invariant(
                    $"      {(match is null ? $"(unmatched; P{home}) " : string.Empty)}root {trueRoot}; ranked {candidates}; extra cost true {incident.Impact.AdditionalCostUsd:F3} predicted {predicted.Impact.AdditionalCostUsd:F3}"));
                if (root is not null && predicted.RootCandidates.Count > 0 && !IncidentScorer.Names(predicted.RootCandidates[0], root, run.Labels))
                {
                    // A wrong first root: why each candidate ranks where it does.
                    for (var rank = 0; rank < predicted.RootCandidates.Count; rank++)
                    {
                        var c = predicted.RootCandidates[rank];
                        writer.WriteLine(FormattableString.Invariant($"        #{rank + 1} {(c.EventId is { } id ? NameOf(id, run) : $"external:{c.Provider}/{c.Region}")}: {c.Why}"));
                    }
                }
            }
        }

        for (var p = 0; p < predictedSets.Length; p++)
        {
            var byTruth = new SortedDictionary<int, int>();
            var outside = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var distractors = 0;
            foreach (var id in predictedSets[p])
            {
                if (owner.TryGetValue(id, out var t))
                {
                    byTruth[t] = byTruth.GetValueOrDefault(t) + 1;
                }
                else if (run.Labels.DistractorEvents.Contains(id))
                {
                    distractors++;
                }
                else
                {
                    var name = _names.GetValueOrDefault(id, "derived");
                    outside[name] = outside.GetValueOrDefault(name) + 1;
                }
            }

            var first = run.Predictions[p].EventIds.Count > 0 ? _names.GetValueOrDefault(run.Labels.Canonical(run.Predictions[p].EventIds[0]), "derived") : "-";
            writer.WriteLine(FormattableString.Invariant(
                $"  P{p} {predictedSets[p].Count} members, first {first}, types {string.Join(',', run.Predictions[p].CorrelationTypes.Select(type => CorrelationTypeNames.ToWire(type)))}: ")
                + (byTruth.Count == 0 ? "no true member" : string.Join(' ', byTruth.Select(kv => $"T{kv.Key}:{kv.Value}")))
                + (distractors > 0 ? $"; distractors {distractors}" : string.Empty)
                + (outside.Count == 0 ? string.Empty : "; outside " + string.Join(' ', outside.Select(kv => $"{kv.Key}×{kv.Value}"))));
            var listed = run.Predictions[p].EventIds.Where(episodes.ContainsKey).Select(id => episodes[id]).ToList();
            if (listed.Count > 0)
            {
                writer.WriteLine("      episodes " + string.Join(' ', listed));
            }
        }

        WritePairLoss(writer, run, trueSets, predictedSets, pairs);
    }

    /// <summary>
    /// The pair-loss section (<see cref="PairLoss"/>): per true incident its lost pairs by why, per predicted incident its
    /// false pairs by the source of its outsiders, and the scenario's totals with the F1 each would give if put right.
    /// </summary>
    private void WritePairLoss(TextWriter writer, IncidentScenarioRun run, IReadOnlySet<Guid>[] trueSets, IReadOnlySet<Guid>[] predictedSets, PairCounts pairs)
    {
        var labels = run.Labels;
        var seen = new HashSet<Guid>();
        foreach (var evidence in labels.DerivedEvidence.Values)
        {
            seen.UnionWith(evidence);
        }

        var seriesShown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in predictedSets)
        {
            foreach (var id in set)
            {
                if (_aggregates.Contains(id))
                {
                    seriesShown.Add(_names[id]);
                }
            }
        }

        foreach (var set in trueSets)
        {
            foreach (var id in set)
            {
                if (_aggregates.Contains(id) && seriesShown.Contains(_names[id]))
                {
                    seen.Add(id);
                }
            }
        }

        // An event the engine named itself keeps that source even when an episode also stands for it.
        var sources = new Dictionary<Guid, MemberSource>();
        var expanded = new HashSet<Guid>();
        foreach (var prediction in run.Predictions)
        {
            foreach (var id in prediction.EventIds)
            {
                expanded.Clear();
                labels.AddMembers(id, expanded);
                var viaEpisode = expanded.Count != 1 || !expanded.Contains(labels.Canonical(id)) || labels.DerivedEvidence.ContainsKey(id);
                foreach (var member in expanded)
                {
                    var source = viaEpisode ? MemberSource.Episode : _aggregates.Contains(member) ? MemberSource.Aggregate : MemberSource.Event;
                    if (!sources.TryGetValue(member, out var known) || (known == MemberSource.Episode && source != MemberSource.Episode))
                    {
                        sources[member] = source;
                    }
                }
            }
        }

        var (lost, falsePairs) = PairLoss.Compute(trueSets, predictedSets, sources, seen);
        long undetected = 0, unjoined = 0, split = 0;
        writer.WriteLine("  pair loss (lost pairs: members in no incident, series never shown / series shown; members in another incident):");
        for (var t = 0; t < lost.Length; t++)
        {
            var l = lost[t];
            undetected += l.Undetected;
            unjoined += l.Unjoined;
            split += l.Split;
            writer.WriteLine(FormattableString.Invariant(
                $"    T{t} {l.Members} members, {l.Pairs} pairs, {l.Together} together; lost not shown {l.Undetected} ({l.UndetectedMembers}), shown but left out {l.Unjoined} ({l.UnjoinedMembers}), elsewhere {l.Split} ({l.SplitMembers})"));
        }

        var bySource = new double[SourceNames.Length];
        for (var p = 0; p < falsePairs.Length; p++)
        {
            var f = falsePairs[p];
            if (f.False == 0)
            {
                continue;
            }

            var parts = new List<string>();
            for (var s = 0; s < SourceNames.Length; s++)
            {
                bySource[s] += f.BySource[s];
                if (f.OutsidersBySource[s] > 0)
                {
                    parts.Add(FormattableString.Invariant($"{SourceNames[s]} {f.BySource[s]:F0} ({f.OutsidersBySource[s]})"));
                }
            }

            writer.WriteLine(FormattableString.Invariant(
                $"    P{p} {f.Members} members, best {(f.Best < 0 ? "none" : "T" + f.Best)}: false pairs {f.False}: {string.Join(", ", parts)}; {f.OtherIncidentOutsiders} outsiders of other incidents"));
        }

        var all = pairs.TruePairs + pairs.PredictedPairs;
        string IfLost(long n) => FormattableString.Invariant($"{n} (F1 {2.0 * (pairs.BothPairs + n) / (all + n):F3} if put right)");
        string IfFalse(double n) => FormattableString.Invariant($"{n:F0} (F1 {2.0 * pairs.BothPairs / (all - n):F3} if removed)");
        writer.WriteLine("    total lost: not shown " + IfLost(undetected) + ", shown but left out " + IfLost(unjoined) + ", elsewhere " + IfLost(split));
        writer.WriteLine("    total false: " + string.Join(", ", SourceNames.Select((name, s) => name + " " + IfFalse(bySource[s]))));
    }

    private string NameOf(Guid id, IncidentScenarioRun run)
    {
        var canonical = run.Labels.Canonical(id);
        return _names.GetValueOrDefault(canonical, "derived") + "#" + canonical.ToString("N", CultureInfo.InvariantCulture)[..6];
    }

    private static long Pairs(long n) => n * (n - 1) / 2;
}
