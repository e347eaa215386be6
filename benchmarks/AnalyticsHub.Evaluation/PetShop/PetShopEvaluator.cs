using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>
/// Scores a method with the original protocol: each issue's target explained against the scenario's normal metrics (top-1
/// and top-3 recall of the true root cause); and specificity: the normal metrics split at rows n/2, n/2 + ⌊0.1 n⌋, … (below
/// n − 3), the later part passed as abnormal with the target time at its third row, for each distinct target of the loaded
/// issues — a case is specific when no candidate is returned.
/// </summary>
internal sealed class PetShopEvaluator
{
    private readonly IReadOnlyList<(PetShopScenario Scenario, PetShopSeriesStore Store, IReadOnlyList<TopologySeries> Normal)> _scenarios;

    public PetShopEvaluator(IReadOnlyList<PetShopScenario> scenarios)
    {
        _scenarios = [.. scenarios.Select(s =>
        {
            var store = PetShopSeriesStore.Of(s);
            return (s, store, store.Read("noissue"));
        })];
    }

    public IEnumerable<string> ScenarioNames => _scenarios.Select(s => s.Scenario.Name);

    public PetShopScores Evaluate(IPetShopMethod method, Func<string, bool>? scenarioFilter = null)
    {
        var cells = new Dictionary<string, IReadOnlyDictionary<string, PetShopCell>>(StringComparer.Ordinal);
        foreach (var (scenario, store, normal) in _scenarios)
        {
            if (scenarioFilter is not null && !scenarioFilter(scenario.Name))
            {
                continue;
            }

            var byMetric = new SortedDictionary<string, PetShopCell>(StringComparer.Ordinal);
            foreach (var issue in scenario.Issues)
            {
                var target = issue.Target;
                var ranked = method.Rank(new PetShopCase(
                    scenario.Graph,
                    new TopologyTarget(target.Node, PetShopColumn.MetricKey(target.Metric, target.Statistic), target.Time),
                    normal,
                    store.Read(PetShopSeriesStore.PeriodOf(issue))));
                var hit1 = ranked.Take(1).Contains(target.RootCause, StringComparer.Ordinal) ? 1 : 0;
                var hit3 = ranked.Take(3).Contains(target.RootCause, StringComparer.Ordinal) ? 1 : 0;
                byMetric[target.Metric] = byMetric.GetValueOrDefault(target.Metric, PetShopCell.Empty).Add(new PetShopCell(1, hit1, hit3, 0, 0));
            }

            var targets = scenario.Issues.Select(i => (i.Target.Node, i.Target.Metric, i.Target.Statistic)).Distinct().ToList();
            var rows = scenario.Normal.Times;
            var step = (int)(rows.Length * 0.1);
            foreach (var (node, metric, statistic) in targets)
            {
                for (var split = rows.Length / 2; step > 0 && split < rows.Length - 3; split += step)
                {
                    var at = rows[split];
                    var ranked = method.Rank(new PetShopCase(
                        scenario.Graph,
                        new TopologyTarget(node, PetShopColumn.MetricKey(metric, statistic), rows[split + 2]),
                        [.. normal.Select(s => Slice(s, before: at))],
                        [.. normal.Select(s => Slice(s, from: at))]));
                    byMetric[metric] = byMetric.GetValueOrDefault(metric, PetShopCell.Empty).Add(new PetShopCell(0, 0, 0, 1, ranked.Count == 0 ? 1 : 0));
                }
            }

            cells[scenario.Name] = byMetric;
        }

        return new PetShopScores(method.Name, cells);
    }

    private static TopologySeries Slice(TopologySeries series, DateTimeOffset? before = null, DateTimeOffset? from = null)
    {
        var times = new List<DateTimeOffset>();
        var values = new List<double>();
        for (var i = 0; i < series.Times.Count; i++)
        {
            var time = series.Times[i];
            if ((before is null || time < before) && (from is null || time >= from))
            {
                times.Add(time);
                values.Add(series.Values[i]);
            }
        }

        return new TopologySeries(series.Entity, series.Metric, times, values);
    }
}
