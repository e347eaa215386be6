namespace AnalyticsHub.Correlation.Topology;

/// <summary>
/// Ranks the root causes of a target's violation over a <see cref="DependencyGraph"/>: the entities whose own metric
/// deviated first, whose dependencies did not deviate the same way, and whose deviation best explains the target's.
/// The method is documented in docs/correlation.md ("Root cause on PetShop").
/// </summary>
/// <remarks>
/// <para>For the target's metric, per entity that has it:</para>
/// <list type="number">
/// <item><b>Deviation</b>: each abnormal value minus the normal median, in robust standard deviations of the normal
/// period (<see cref="RobustScale"/>), minus the median deviation of the observations just before the target's (within
/// <see cref="TopologyRankerOptions.Window"/>), so a level that had already shifted before the violation is no onset.</item>
/// <item><b>Onset</b>: the first observation from the target's on (within the window) whose absolute deviation reaches
/// <see cref="TopologyRankerOptions.AnomalyThreshold"/>. A target without one is not anomalous: no root cause.</item>
/// <item><b>Candidates</b>: the target and its dependencies (transitive callees) with an onset no later than the target's.</item>
/// <item><b>Explained</b>: how much of the target's deviation (over the analysed observations) is left had the candidate
/// not deviated — 1 − RSS/TSS of the least-squares fit through the origin of the target's deviations on the candidate's,
/// with a slope of at least 0 (a dependency's degradation degrades its callers the same way).</item>
/// <item><b>Own</b>: 1 minus the largest share of the candidate's deviation explained, the same way, by one of its direct
/// callees that is itself a candidate with an onset no later than the candidate's.</item>
/// <item><b>Score</b> = explained × own; candidates with score 0 are dropped; ties go to the larger peak deviation,
/// then the name.</item>
/// </list>
/// <para>The call is offline and allocation-light: one pass per series over its values. Thread-safe.</para>
/// </remarks>
public sealed class TopologyRootCauseRanker
{
    private readonly TopologyRankerOptions _options;

    /// <summary>Creates a ranker with the given options (the defaults when null).</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public TopologyRootCauseRanker(TopologyRankerOptions? options = null)
    {
        _options = options ?? new TopologyRankerOptions();
        _options.Validate();
    }

    /// <summary>Gets the options the ranker runs with.</summary>
    public TopologyRankerOptions Options => _options;

    /// <summary>Explains the target's violation.</summary>
    /// <param name="graph">Who calls whom.</param>
    /// <param name="target">The violation to explain.</param>
    /// <param name="normal">Series of the normal period (only the target's metric is read).</param>
    /// <param name="abnormal">Series of the abnormal period, around the target time (only the target's metric is read).</param>
    /// <returns>The ranked candidates; none when the target did not deviate.</returns>
    /// <exception cref="ArgumentException">Two series of one period share an entity and metric.</exception>
    public TopologyExplanation Explain(
        DependencyGraph graph,
        TopologyTarget target,
        IEnumerable<TopologySeries> normal,
        IEnumerable<TopologySeries> abnormal)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(normal);
        ArgumentNullException.ThrowIfNull(abnormal);
        var normalByEntity = ByEntity(normal, target.Metric, nameof(normal));
        var abnormalByEntity = ByEntity(abnormal, target.Metric, nameof(abnormal));
        if (!graph.Contains(target.Entity) || !abnormalByEntity.TryGetValue(target.Entity, out var targetSeries) || targetSeries.Times.Count == 0)
        {
            return new TopologyExplanation(TopologyOutcome.TargetUnknown, []);
        }

        var times = AnalysedTimes(targetSeries.Times, target.Time, out var firstWindowIndex);
        var deviations = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var entity in graph.DependenciesOf(target.Entity))
        {
            if (abnormalByEntity.TryGetValue(entity, out var series) && normalByEntity.TryGetValue(entity, out var normalSeries)
                && RobustScale.Of(normalSeries.Values, _options.MinimumNormalValues) is { } scale)
            {
                deviations[entity] = Deviations(series, scale, times, firstWindowIndex);
            }
        }

        if (!deviations.TryGetValue(target.Entity, out var targetDeviation))
        {
            return new TopologyExplanation(TopologyOutcome.TargetUnknown, []);
        }

        var targetOnset = Onset(targetDeviation, firstWindowIndex);
        if (targetOnset < 0)
        {
            return new TopologyExplanation(TopologyOutcome.TargetNotAnomalous, []);
        }

        var onsets = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (entity, deviation) in deviations)
        {
            var onset = Onset(deviation, firstWindowIndex);
            if (onset >= 0 && onset <= targetOnset)
            {
                onsets[entity] = onset;
            }
        }

        var candidates = new List<TopologyRootCause>();
        foreach (var (entity, onset) in onsets)
        {
            var deviation = deviations[entity];
            var own = 1.0;
            foreach (var callee in graph.CalleesOf(entity))
            {
                if (onsets.TryGetValue(callee, out var calleeOnset) && calleeOnset <= onset)
                {
                    own = Math.Min(own, 1 - ExplainedShare(deviation, deviations[callee]));
                }
            }

            var explained = ExplainedShare(targetDeviation, deviation);
            var score = explained * own;
            if (score > 0)
            {
                candidates.Add(new TopologyRootCause(entity, score, explained, own, times[onset], Peak(deviation, firstWindowIndex)));
            }
        }

        candidates.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            var byPeak = b.PeakDeviation.CompareTo(a.PeakDeviation);
            return byPeak != 0 ? byPeak : string.CompareOrdinal(a.Entity, b.Entity);
        });
        return new TopologyExplanation(TopologyOutcome.Explained, candidates);
    }

    /// <summary>The share of <paramref name="effect"/>'s squared size removed by the best non-negative multiple of <paramref name="cause"/>.</summary>
    internal static double ExplainedShare(IReadOnlyList<double> effect, IReadOnlyList<double> cause)
    {
        double xy = 0, xx = 0, yy = 0;
        for (var i = 0; i < effect.Count; i++)
        {
            xy += cause[i] * effect[i];
            xx += cause[i] * cause[i];
            yy += effect[i] * effect[i];
        }

        return xy <= 0 || xx == 0 || yy == 0 ? 0 : Math.Min(1, xy / xx * (xy / yy));
    }

    private DateTimeOffset[] AnalysedTimes(IReadOnlyList<DateTimeOffset> targetTimes, DateTimeOffset targetTime, out int firstWindowIndex)
    {
        var at = 0;
        for (var i = 0; i < targetTimes.Count && targetTimes[i] <= targetTime; i++)
        {
            at = i;
        }

        var anchor = targetTimes[at];
        var times = new List<DateTimeOffset>();
        firstWindowIndex = 0;
        foreach (var time in targetTimes)
        {
            if (time >= anchor - _options.Window && time < anchor)
            {
                times.Add(time);
                firstWindowIndex++;
            }
            else if (time >= anchor && time <= anchor + _options.Window)
            {
                times.Add(time);
            }
        }

        return [.. times];
    }

    private static double[] Deviations(TopologySeries series, RobustScale scale, DateTimeOffset[] times, int firstWindowIndex)
    {
        var raw = new double[times.Length];
        var j = 0;
        for (var i = 0; i < times.Length; i++)
        {
            while (j < series.Times.Count && series.Times[j] < times[i])
            {
                j++;
            }

            raw[i] = j < series.Times.Count && series.Times[j] == times[i] && double.IsFinite(series.Values[j])
                ? scale.Deviation(series.Values[j])
                : double.NaN;
        }

        var before = raw.Take(firstWindowIndex).Where(double.IsFinite).Order().ToArray();
        var level = before.Length == 0 ? 0 : before.Length % 2 == 1 ? before[before.Length / 2] : (before[(before.Length / 2) - 1] + before[before.Length / 2]) / 2;
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = double.IsFinite(raw[i]) ? raw[i] - level : 0;
        }

        return raw;
    }

    private int Onset(double[] deviation, int firstWindowIndex)
    {
        for (var i = firstWindowIndex; i < deviation.Length; i++)
        {
            if (Math.Abs(deviation[i]) >= _options.AnomalyThreshold)
            {
                return i;
            }
        }

        return -1;
    }

    private static double Peak(double[] deviation, int firstWindowIndex)
    {
        var peak = 0.0;
        for (var i = firstWindowIndex; i < deviation.Length; i++)
        {
            peak = Math.Max(peak, Math.Abs(deviation[i]));
        }

        return peak;
    }

    private static Dictionary<string, TopologySeries> ByEntity(IEnumerable<TopologySeries> series, string metric, string parameter)
    {
        var map = new Dictionary<string, TopologySeries>(StringComparer.Ordinal);
        foreach (var one in series)
        {
            if (one is not null && string.Equals(one.Metric, metric, StringComparison.Ordinal) && !map.TryAdd(one.Entity, one))
            {
                throw new ArgumentException($"Two {parameter} series of {one.Entity}/{metric}.", parameter);
            }
        }

        return map;
    }
}
