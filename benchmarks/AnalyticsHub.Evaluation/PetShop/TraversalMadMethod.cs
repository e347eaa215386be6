using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>
/// The published anomaly-traversal baseline (method <c>traversal-mad</c>), as the PetShop authors run it: per entity of
/// the target's metric, |x − median| / MAD of the normal period (unscaled MAD; a series constant in the normal period
/// scores |x − mean| with threshold 0; fewer than 10 normal values, no score); anomalous above 5. It analyses the third
/// abnormal observation, or the first later one at which the target is anomalous; none → no root cause. The roots are
/// the anomalous entities without an anomalous callee; each is kept when a call path from the target reaches it through
/// anomalous entities only, scored by the largest sum of scores along such a path; ties keep the order of the series.
/// </summary>
internal sealed class TraversalMadMethod : IPetShopMethod
{
    public const string MethodName = "traversal-mad";

    private const double Threshold = 5;
    private const int AnalysedRow = 2;
    private const int MinimumValues = 10;

    public string Name => MethodName;

    public IReadOnlyList<string> Rank(PetShopCase @case)
    {
        var metric = @case.Target.Metric;
        var normal = @case.Normal.Where(s => s.Metric == metric).ToDictionary(s => s.Entity, StringComparer.Ordinal);
        var abnormal = @case.Abnormal.Where(s => s.Metric == metric).ToList();
        var target = abnormal.Find(s => s.Entity == @case.Target.Entity);
        if (target is null || !normal.ContainsKey(target.Entity))
        {
            return [];
        }

        var scored = new List<(string Entity, DateTimeOffset[] Times, double[] Scores, bool[] Anomalous)>();
        foreach (var series in abnormal)
        {
            if (!normal.TryGetValue(series.Entity, out var normalSeries) || Scorer(normalSeries.Values) is not { } scorer)
            {
                continue;
            }

            var scores = series.Values.Select(v => double.IsNaN(v) ? 0 : scorer.Score(v)).Select(s => double.IsNaN(s) ? 0 : s).ToArray();
            scored.Add((series.Entity, [.. series.Times], scores, [.. scores.Select(s => s > scorer.Threshold)]));
        }

        var targetScores = scored.Find(s => s.Entity == target.Entity);
        if (targetScores.Entity is null || targetScores.Times.Length <= AnalysedRow)
        {
            return [];
        }

        var row = AnalysedRow;
        while (row < targetScores.Times.Length && !targetScores.Anomalous[row])
        {
            row++;
        }

        if (row == targetScores.Times.Length)
        {
            return [];
        }

        var at = targetScores.Times[row];
        var anomalies = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (entity, times, scores, anomalous) in scored)
        {
            var index = Array.IndexOf(times, at);
            if (index >= 0 && anomalous[index])
            {
                anomalies[entity] = scores[index];
                order.Add(entity);
            }
        }

        var ranked = new List<(string Entity, double Score, int Order)>();
        foreach (var root in order.Where(e => !@case.Graph.CalleesOf(e).Any(anomalies.ContainsKey)))
        {
            var best = BestPathScore(@case.Graph, target.Entity, root, anomalies);
            if (best is { } score)
            {
                ranked.Add((root, score, ranked.Count));
            }
        }

        return [.. ranked.OrderByDescending(r => r.Score).ThenBy(r => r.Order).Select(r => r.Entity)];
    }

    /// <summary>The largest sum of scores over the simple call paths from <paramref name="from"/> to <paramref name="to"/> through anomalous entities.</summary>
    private static double? BestPathScore(DependencyGraph graph, string from, string to, Dictionary<string, double> anomalies)
    {
        double? best = null;
        var path = new HashSet<string>(StringComparer.Ordinal);

        void Walk(string node, double sum)
        {
            if (!anomalies.TryGetValue(node, out var score) || !path.Add(node))
            {
                return;
            }

            sum += score;
            if (node == to)
            {
                best = best is { } b ? Math.Max(b, sum) : sum;
            }
            else
            {
                foreach (var next in graph.CalleesOf(node))
                {
                    Walk(next, sum);
                }
            }

            path.Remove(node);
        }

        Walk(from, 0);
        return best;
    }

    private static MadScorer? Scorer(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).Order().ToArray();
        if (finite.Length < MinimumValues)
        {
            return null;
        }

        var mean = finite.Average();
        if (finite.All(v => v == finite[0]))
        {
            return new MadScorer(mean, 0, 0);
        }

        var median = Median(finite);
        var mad = Median([.. finite.Select(v => Math.Abs(v - median)).Order()]);
        return new MadScorer(median, mad, Threshold);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>|x − centre| / MAD (MAD 0: infinite off the centre, 0 on it); a constant series (threshold 0) scores |x − centre|.</summary>
    private readonly record struct MadScorer(double Centre, double Mad, double Threshold)
    {
        public double Score(double value)
        {
            var deviation = Math.Abs(value - Centre);
            if (Threshold == 0)
            {
                return deviation;
            }

            return Mad > 0 ? deviation / Mad : deviation == 0 ? 0 : double.PositiveInfinity;
        }
    }
}
