using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// The relations of a metric violation over a <see cref="DependencyGraph"/>: how much of one entity's deviation another
/// entity's deviation explains (the counterfactual), for the entities the target depends on. What
/// <see cref="RootCauseRanker.Explain"/> ranks with.
/// </summary>
/// <remarks>
/// <para>Per entity of the target's metric (the target and its transitive callees): each abnormal value minus the normal
/// median in robust standard deviations of the normal period (<see cref="RobustScale"/>), minus the median deviation of
/// the observations in the window before the target's observation; its <b>onset</b> is the first observation from the
/// target's on (within the window) whose absolute deviation reaches the threshold.</para>
/// <para><see cref="Relatedness"/>(cause, effect) is 1 − RSS/TSS of the least-squares fit through the origin, slope at
/// least 0, of the effect's deviations on the cause's, when the cause is the effect or one of its dependencies and both
/// have an onset, the cause's no later; else 0.</para>
/// </remarks>
internal sealed class DeviationRelations : IEntityRelations
{
    private readonly DependencyGraph _graph;
    private readonly Dictionary<string, double[]> _deviations;
    private readonly Dictionary<string, int> _onsets = new(StringComparer.Ordinal);
    private readonly DateTimeOffset[] _times;
    private readonly int _firstWindowIndex;

    private DeviationRelations(DependencyGraph graph, TopologyOutcome outcome, Dictionary<string, double[]> deviations, DateTimeOffset[] times, int firstWindowIndex, double threshold)
    {
        _graph = graph;
        Outcome = outcome;
        _deviations = deviations;
        _times = times;
        _firstWindowIndex = firstWindowIndex;
        foreach (var (entity, deviation) in deviations)
        {
            for (var i = firstWindowIndex; i < deviation.Length; i++)
            {
                if (Math.Abs(deviation[i]) >= threshold)
                {
                    _onsets[entity] = i;
                    break;
                }
            }
        }
    }

    /// <summary>Whether the target could be scored and deviated.</summary>
    public TopologyOutcome Outcome { get; private set; }

    /// <summary>
    /// Reads the target's metric of every entity the target depends on and finds their deviations and onsets.
    /// </summary>
    /// <exception cref="ArgumentException">Two series of one period share an entity and metric.</exception>
    public static DeviationRelations Of(DependencyGraph graph, TopologyTarget target, IEnumerable<TopologySeries> normal, IEnumerable<TopologySeries> abnormal, RootCauseRankerOptions options)
    {
        var normalByEntity = ByEntity(normal, target.Metric, nameof(normal));
        var abnormalByEntity = ByEntity(abnormal, target.Metric, nameof(abnormal));
        var deviations = new Dictionary<string, double[]>(StringComparer.Ordinal);
        if (!graph.Contains(target.Entity) || !abnormalByEntity.TryGetValue(target.Entity, out var targetSeries) || targetSeries.Times.Count == 0)
        {
            return new DeviationRelations(graph, TopologyOutcome.TargetUnknown, deviations, [], 0, options.AnomalyThreshold);
        }

        var times = AnalysedTimes(targetSeries.Times, target.Time, options.Window, out var firstWindowIndex);
        foreach (var entity in graph.DependenciesOf(target.Entity))
        {
            if (abnormalByEntity.TryGetValue(entity, out var series) && normalByEntity.TryGetValue(entity, out var normalSeries)
                && RobustScale.Of(normalSeries.Values, options.MinimumNormalValues) is { } scale)
            {
                deviations[entity] = Deviations(series, scale, times, firstWindowIndex);
            }
        }

        var relations = new DeviationRelations(graph, TopologyOutcome.Explained, deviations, times, firstWindowIndex, options.AnomalyThreshold);
        relations.Outcome = !deviations.ContainsKey(target.Entity) ? TopologyOutcome.TargetUnknown
            : !relations._onsets.ContainsKey(target.Entity) ? TopologyOutcome.TargetNotAnomalous
            : TopologyOutcome.Explained;
        return relations;
    }

    /// <summary>The entities that deviated no later than <paramref name="target"/>, the target among them, by name.</summary>
    public List<string> DeviatedBy(string target)
    {
        var list = new List<string>();
        if (_onsets.TryGetValue(target, out var targetOnset))
        {
            foreach (var (entity, onset) in _onsets)
            {
                if (onset <= targetOnset)
                {
                    list.Add(entity);
                }
            }
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>The observation at which the entity's deviation first reached the threshold.</summary>
    public DateTimeOffset OnsetOf(string entity) => _times[_onsets[entity]];

    /// <summary>The largest absolute deviation of the entity from the target's observation on, in robust standard deviations.</summary>
    public double PeakOf(string entity)
    {
        var deviation = _deviations[entity];
        var peak = 0.0;
        for (var i = _firstWindowIndex; i < deviation.Length; i++)
        {
            peak = Math.Max(peak, Math.Abs(deviation[i]));
        }

        return peak;
    }

    /// <inheritdoc/>
    public double Relatedness(string cause, string effect)
    {
        if (!_onsets.TryGetValue(cause, out var causeOnset) || !_onsets.TryGetValue(effect, out var effectOnset) || causeOnset > effectOnset
            || (!string.Equals(cause, effect, StringComparison.Ordinal) && _graph.Hops(effect, cause) < 0))
        {
            return 0;
        }

        return ExplainedShare(_deviations[effect], _deviations[cause]);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Upstream(string entity) => _graph.CalleesOf(entity);

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

    private static DateTimeOffset[] AnalysedTimes(IReadOnlyList<DateTimeOffset> targetTimes, DateTimeOffset targetTime, TimeSpan window, out int firstWindowIndex)
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
            if (time >= anchor - window && time < anchor)
            {
                times.Add(time);
                firstWindowIndex++;
            }
            else if (time >= anchor && time <= anchor + window)
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
