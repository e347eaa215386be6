namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>Pairwise co-membership counts of a true and a predicted grouping of events, and their F1.</summary>
/// <param name="TruePairs">Unordered pairs of distinct events in the same true group.</param>
/// <param name="PredictedPairs">Unordered pairs of distinct events in the same predicted group.</param>
/// <param name="BothPairs">Pairs in the same true group and the same predicted group.</param>
public readonly record struct PairCounts(long TruePairs, long PredictedPairs, long BothPairs)
{
    /// <summary>2·both / (true + predicted): the harmonic mean of pair precision and recall; 1 when neither side has a pair.</summary>
    public double F1 => TruePairs + PredictedPairs == 0 ? 1.0 : 2.0 * BothPairs / (TruePairs + PredictedPairs);

    /// <summary>Counts the pairs of two groupings.</summary>
    /// <param name="truth">The true groups (canonical ids).</param>
    /// <param name="predicted">The predicted groups (canonical ids).</param>
    /// <returns>The counts.</returns>
    /// <remarks>
    /// Pairs range over the union of the events of both groupings; an event outside every group of one
    /// side is a singleton there and forms no pair on that side. An event in several groups of one side
    /// counts in the first of them only (truth order; the engine's order), so each side is a partition and
    /// the counts come from a contingency table in time linear in the events.
    /// </remarks>
    public static PairCounts Compute(IReadOnlyList<IReadOnlySet<Guid>> truth, IReadOnlyList<IReadOnlySet<Guid>> predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        var trueGroup = Assign(truth, out var trueSizes);
        var predictedGroup = Assign(predicted, out var predictedSizes);
        var cells = new Dictionary<(int, int), long>();
        foreach (var (id, t) in trueGroup)
        {
            if (predictedGroup.TryGetValue(id, out var p))
            {
                cells[(t, p)] = cells.GetValueOrDefault((t, p)) + 1;
            }
        }

        long both = 0;
        foreach (var n in cells.Values)
        {
            both += Pairs(n);
        }

        return new PairCounts(SumPairs(trueSizes), SumPairs(predictedSizes), both);
    }

    /// <summary>Each member's group (its first, when listed in several) and each group's size counted that way.</summary>
    internal static Dictionary<Guid, int> Assign(IReadOnlyList<IReadOnlySet<Guid>> groups, out long[] sizes)
    {
        var assigned = new Dictionary<Guid, int>();
        sizes = new long[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var id in groups[g])
            {
                if (assigned.TryAdd(id, g))
                {
                    sizes[g]++;
                }
            }
        }

        return assigned;
    }

    private static long SumPairs(long[] sizes)
    {
        long sum = 0;
        foreach (var n in sizes)
        {
            sum += Pairs(n);
        }

        return sum;
    }

    /// <summary>The pairs among <paramref name="n"/> members.</summary>
    internal static long Pairs(long n) => n * (n - 1) / 2;
}
