namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>Greedy one-to-one matching of predicted incidents to true ones by the Jaccard index of their event sets.</summary>
public static class IncidentMatcher
{
    /// <summary>The least Jaccard index for a match.</summary>
    public const double MinJaccard = 0.5;

    /// <summary>Matches predicted groups to true groups.</summary>
    /// <param name="truth">The true incidents' event sets (already mapped to canonical ids).</param>
    /// <param name="predicted">The predicted incidents' event sets (already mapped to canonical ids).</param>
    /// <returns>The matches, highest Jaccard first.</returns>
    /// <remarks>
    /// Every pair with |T ∩ P| / |T ∪ P| ≥ 0.5 (tested exactly in integers: 2|T ∩ P| ≥ |T ∪ P|) is a
    /// candidate; two empty sets never match. Candidates are taken in order of Jaccard descending,
    /// then true index ascending, then predicted index ascending (the engine's earlier incident wins),
    /// and a candidate is kept when neither side is matched yet. Cost: one pass over the predicted
    /// events plus a sort of the candidates.
    /// </remarks>
    public static IReadOnlyList<IncidentMatch> Match(IReadOnlyList<IReadOnlySet<Guid>> truth, IReadOnlyList<IReadOnlySet<Guid>> predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        var owners = new Dictionary<Guid, List<int>>();
        for (var t = 0; t < truth.Count; t++)
        {
            foreach (var id in truth[t])
            {
                if (!owners.TryGetValue(id, out var list))
                {
                    list = [];
                    owners.Add(id, list);
                }

                list.Add(t);
            }
        }

        var counts = new int[truth.Count];
        var touched = new List<int>();
        var candidates = new List<IncidentMatch>();
        for (var p = 0; p < predicted.Count; p++)
        {
            foreach (var id in predicted[p])
            {
                if (!owners.TryGetValue(id, out var list))
                {
                    continue;
                }

                foreach (var t in list)
                {
                    if (counts[t]++ == 0)
                    {
                        touched.Add(t);
                    }
                }
            }

            foreach (var t in touched)
            {
                var intersection = counts[t];
                var union = truth[t].Count + predicted[p].Count - intersection;
                if (2L * intersection >= union)
                {
                    candidates.Add(new IncidentMatch(t, p, intersection, union));
                }

                counts[t] = 0;
            }

            touched.Clear();
        }

        candidates.Sort(static (a, b) =>
        {
            // Compare a.I/a.U with b.I/b.U exactly, by cross-multiplication.
            var c = ((long)b.Intersection * a.Union).CompareTo((long)a.Intersection * b.Union);
            if (c != 0)
            {
                return c;
            }

            c = a.TrueIndex.CompareTo(b.TrueIndex);
            return c != 0 ? c : a.PredictedIndex.CompareTo(b.PredictedIndex);
        });
        var trueUsed = new bool[truth.Count];
        var predictedUsed = new bool[predicted.Count];
        var matches = new List<IncidentMatch>();
        foreach (var candidate in candidates)
        {
            if (!trueUsed[candidate.TrueIndex] && !predictedUsed[candidate.PredictedIndex])
            {
                trueUsed[candidate.TrueIndex] = true;
                predictedUsed[candidate.PredictedIndex] = true;
                matches.Add(candidate);
            }
        }

        return matches;
    }
}
