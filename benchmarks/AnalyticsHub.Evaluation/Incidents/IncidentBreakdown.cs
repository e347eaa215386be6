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
    private readonly Dictionary<Guid, string> _names = [];

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

            writer.WriteLine(FormattableString.Invariant(
                $"  T{t} {incident.Id} {incident.Start:HH:mm}-{incident.End:HH:mm} {trueSets[t].Count} members ({Pairs(trueSets[t].Count)} pairs): ")
                + (match is null ? "unmatched" : $"P{match.Value.PredictedIndex} J={(double)match.Value.Intersection / match.Value.Union:F2}")
                + "; in " + (spread.Count == 0 ? "none" : string.Join(' ', spread.Select(kv => $"P{kv.Key}:{kv.Value}")))
                + (missed.Count == 0 ? string.Empty : "; missed " + string.Join(' ', missed.Select(kv => $"{kv.Key}×{kv.Value}"))));
            if (match is { } m1)
            {
                var predicted = run.Predictions[m1.PredictedIndex];
                var root = incident.Root;
                var trueRoot = root is null ? "none" : root.Kind == "external" ? $"external:{root.Provider}/{root.Region}"
                    : root.EventId is { } rootId ? NameOf(rootId, run) : "event (not delivered)";
                var candidates = predicted.RootCandidates.Count == 0 ? "none" : string.Join(", ", predicted.RootCandidates.Select((c, rank) =>
                    (root is not null && IncidentScorer.Names(c, root, run.Labels) ? "*" : string.Empty)
                    + (c.EventId is { } id ? NameOf(id, run) : $"external:{c.Provider}/{c.Region}")));
                writer.WriteLine(FormattableString.Invariant(
                    $"      root {trueRoot}; ranked {candidates}; extra cost true {incident.Impact.AdditionalCostUsd:F3} predicted {predicted.Impact.AdditionalCostUsd:F3}"));
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
    }

    private string NameOf(Guid id, IncidentScenarioRun run)
    {
        var canonical = run.Labels.Canonical(id);
        return _names.GetValueOrDefault(canonical, "derived") + "#" + canonical.ToString("N", CultureInfo.InvariantCulture)[..6];
    }

    private static long Pairs(long n) => n * (n - 1) / 2;
}
