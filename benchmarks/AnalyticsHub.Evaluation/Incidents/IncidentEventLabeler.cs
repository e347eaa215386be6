using System.Globalization;
using AnalyticsHub.Evaluation.Nab;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// Builds a scenario's <see cref="IncidentEventLabels"/>: while the producers' events stream past, the distractor events
/// (events in a distractor's affected series during its window, plus the decoy change events) and an index of the
/// evidence an anomaly episode can stand for; after the stream, per engine, what each derived event it emitted maps to.
/// </summary>
/// <remarks>
/// An event is in a distractor's series when its payload variant is the series' measurement and it carries the series'
/// tags; it is in the window when its true time (its timestamp minus its module's clock skew) lies in one of the series'
/// windows. Events that are members of a true incident are never distractors.
/// <para>
/// Evidence: every producer event that is not request-level (not <c>latency</c>, <c>token_usage</c> or
/// <c>token_cost</c>) is indexed by its time-series point (<see cref="PointExtractor"/>: measurement and tags) and
/// timestamp. A derived anomaly event (custom type <c>anomaly</c>, tags <c>metric</c>, <c>episode_start</c> and, on
/// the closing event, <c>episode_end</c>, plus the series' tags) maps to the indexed events of its metric's measurement
/// that carry every series tag and whose timestamp lies in [<c>episode_start</c>, <c>episode_end</c>); an opening event
/// takes the end of its closing event (the closing event's parent), else the end of the stream.
/// </para>
/// Memory: the distractor events and the index of non-request events. Not thread-safe.
/// </remarks>
public sealed class IncidentEventLabeler
{
    /// <summary>The custom type of the hub's anomaly episode events.</summary>
    public const string AnomalyCustomType = "anomaly";

    private static readonly HashSet<string> EpisodeTags = new(StringComparer.Ordinal)
    {
        "anomaly_phase", "metric", "statistic", "episode_start", "episode_end", "expected_lower", "expected_upper",
        "duration_seconds", "peak_score", "points", "detected_at",
    };

    private readonly HashSet<Guid> _distractors = [];
    private readonly List<AffectedSeries> _series = [];
    private readonly long[] _skewTicks = new long[ModuleNames.Count];
    private readonly Dictionary<string, List<Indexed>> _evidence = new(StringComparer.Ordinal);
    private long _lastTicks = long.MinValue;

    /// <summary>Creates a labeler for a scenario.</summary>
    /// <param name="plannedTruth">The truth as planned (<see cref="TrafficSimulation.PlannedGroundTruth"/>), for its distractors and clock skews.</param>
    public IncidentEventLabeler(GroundTruth plannedTruth)
    {
        ArgumentNullException.ThrowIfNull(plannedTruth);
        foreach (var distractor in plannedTruth.Distractors)
        {
            _series.AddRange(distractor.AffectedSeries);
        }

        foreach (var (module, seconds) in plannedTruth.Delivery.ClockSkewSeconds)
        {
            if (ModuleNames.TryParse(module, out var m))
            {
                _skewTicks[(int)m] = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
            }
        }
    }

    /// <summary>Takes the next producer event of the stream.</summary>
    /// <param name="evt">The event.</param>
    public void Observe(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        _lastTicks = Math.Max(_lastTicks, evt.Timestamp.UtcTicks);
        if (evt.SourceModule != SourceModule.LlmAnalyticsHub && evt.Payload is not (LatencyMetrics or TokenUsageMetrics or TokenCostEvent))
        {
            var point = PointExtractor.Extract(evt);
            if (!_evidence.TryGetValue(point.Measurement, out var list))
            {
                list = [];
                _evidence.Add(point.Measurement, list);
            }

            list.Add(new Indexed(evt.Timestamp.UtcTicks, point.Tags, evt.EventId));
        }

        if (_series.Count == 0)
        {
            return;
        }

        var subtype = evt.Payload.Subtype;
        var module = (int)evt.SourceModule;
        var trueTicks = evt.Timestamp.UtcTicks - (module < _skewTicks.Length ? _skewTicks[module] : 0);
        foreach (var series in _series)
        {
            if (!string.Equals(series.Measurement, subtype, StringComparison.Ordinal) || !NabSeriesExporter.Matches(series, evt))
            {
                continue;
            }

            foreach (var window in series.Windows)
            {
                if (trueTicks >= window.Start.UtcTicks && trueTicks <= window.End.UtcTicks)
                {
                    _distractors.Add(evt.EventId);
                    return;
                }
            }
        }
    }

    /// <summary>Finishes the labels shared by every engine once the stream has ended.</summary>
    /// <param name="truth">The final ground truth (for the decoys and the incidents' members).</param>
    /// <returns>The labels, without derived events.</returns>
    public IncidentEventLabels Complete(GroundTruth truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        var distractors = new HashSet<Guid>(_distractors);
        foreach (var decoy in truth.Decoys)
        {
            if (decoy.Emitted)
            {
                distractors.Add(decoy.EventId);
            }
        }

        foreach (var incident in truth.Incidents)
        {
            foreach (var member in incident.Members)
            {
                distractors.Remove(member.EventId);
            }
        }

        return new IncidentEventLabels { DistractorEvents = distractors };
    }

    /// <summary>The labels of one engine's run: <paramref name="shared"/> plus what each of its derived events stands for.</summary>
    /// <param name="shared">The labels from <see cref="Complete"/>.</param>
    /// <param name="derived">Every derived event the engine emitted (<see cref="IIncidentEngine.DerivedEvents"/>).</param>
    /// <returns>The labels to score the engine's run with.</returns>
    public IncidentEventLabels ForEngine(IncidentEventLabels shared, IReadOnlyList<AnalyticsEvent> derived)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(derived);
        if (derived.Count == 0)
        {
            return shared;
        }

        var parents = new Dictionary<Guid, Guid>();
        var closingEnds = new Dictionary<Guid, long>();
        foreach (var evt in derived)
        {
            if (evt.Common.ParentEventId is { } parent)
            {
                parents[evt.EventId] = parent;
                if (IsEpisode(evt) && evt.Common.Tags.TryGetValue("episode_end", out var endText) && TryParse(endText, out var end))
                {
                    closingEnds[parent] = end;
                }
            }
        }

        var evidence = new Dictionary<Guid, IReadOnlyList<Guid>>();
        foreach (var evt in derived)
        {
            if (!IsEpisode(evt) || !evt.Common.Tags.TryGetValue("metric", out var metric)
                || !evt.Common.Tags.TryGetValue("episode_start", out var startText) || !TryParse(startText, out var start))
            {
                continue;
            }

            var end = evt.Common.Tags.TryGetValue("episode_end", out var endText) && TryParse(endText, out var e)
                ? e
                : closingEnds.TryGetValue(evt.EventId, out var closing) ? closing : _lastTicks + 1;
            evidence[evt.EventId] = EvidenceOf(metric, evt.Common.Tags, start, end);
        }

        return shared with { DerivedParents = parents, DerivedEvidence = evidence };
    }

    private static bool IsEpisode(AnalyticsEvent evt) =>
        evt.SourceModule == SourceModule.LlmAnalyticsHub && evt.Payload is CustomPayload { CustomType: AnomalyCustomType };

    private static bool TryParse(string text, out long ticks)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant);
        ticks = ok ? instant.UtcTicks : 0;
        return ok;
    }

    private List<Guid> EvidenceOf(string metric, IReadOnlyDictionary<string, string> tags, long start, long end)
    {
        var found = new List<Guid>();
        var dot = metric.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !_evidence.TryGetValue(metric[..dot], out var list))
        {
            return found;
        }

        foreach (var item in list)
        {
            if (item.Ticks < start || item.Ticks >= end)
            {
                continue;
            }

            var covers = true;
            foreach (var (key, value) in tags)
            {
                if (!EpisodeTags.Contains(key) && (!item.Tags.TryGetValue(key, out var actual) || actual != value))
                {
                    covers = false;
                    break;
                }
            }

            if (covers)
            {
                found.Add(item.EventId);
            }
        }

        return found;
    }

    private readonly record struct Indexed(long Ticks, TagSet Tags, Guid EventId);
}
