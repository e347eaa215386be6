using AnalyticsHub.Correlation.RootCause;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>
/// Leave-one-scenario-out cross-validation of the topology ranker's two knobs: for each scenario, the threshold and
/// window that maximise top-1 + top-3 + specificity (pooled) on the other scenarios — the defaults when they tie for
/// best, else the first in grid order — then score the held-out scenario with them.
/// </summary>
internal static class PetShopCrossValidation
{
    public static readonly double[] Thresholds = [3, 4, 5, 6];

    public static readonly TimeSpan[] Windows = [TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(20)];

    public static IReadOnlyList<PetShopFold> Run(PetShopEvaluator evaluator)
    {
        var names = evaluator.ScenarioNames.ToList();
        if (names.Count < 2)
        {
            throw new InvalidOperationException("leave-one-scenario-out needs at least two scenarios");
        }

        var defaults = new RootCauseRankerOptions();
        var grid = Thresholds.SelectMany(t => Windows.Select(w => defaults with { AnomalyThreshold = t, Window = w })).ToList();
        var scores = grid.Select(o => evaluator.Evaluate(new TopologyMethod(o))).ToList();
        var folds = new List<PetShopFold>();
        foreach (var heldOut in names)
        {
            var best = -1;
            var bestObjective = double.NegativeInfinity;
            for (var g = 0; g < grid.Count; g++)
            {
                var training = names.Where(n => n != heldOut).Select(scores[g].Scenario).Aggregate(PetShopCell.Empty, (a, b) => a.Add(b));
                var objective = (training.Top1Recall ?? 0) + (training.Top3Recall ?? 0) + (training.Specificity ?? 0);
                if (objective > bestObjective + 1e-12 || (Math.Abs(objective - bestObjective) <= 1e-12 && grid[g] == defaults))
                {
                    best = g;
                    bestObjective = objective;
                }
            }

            folds.Add(new PetShopFold(heldOut, grid[best].AnomalyThreshold, grid[best].Window, scores[best].Scenario(heldOut)));
        }

        return folds;
    }
}
