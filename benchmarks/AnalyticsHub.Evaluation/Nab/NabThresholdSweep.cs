namespace AnalyticsHub.Evaluation.Nab;

/// <summary>Finds, in hindsight, the threshold that maximises a profile's score over a set of already scored files.</summary>
/// <remarks>
/// Every distinct detector score is a candidate threshold. Rows are sorted once by score, highest first,
/// and the raw score is updated as each group of equal scores turns into detections: O(n log n) overall
/// instead of re-scoring every file per candidate. Using the result as a frozen threshold on the same
/// data is tuning on the test set; report it as hindsight.
/// </remarks>
public static class NabThresholdSweep
{
    /// <summary>Sweeps every candidate threshold and returns the best one.</summary>
    /// <param name="series">The labelled series.</param>
    /// <param name="scores">The detector's scores per series, in the same order, one per row.</param>
    /// <param name="profile">The weights to maximise.</param>
    /// <returns>The best threshold (the highest on ties) with its raw and normalised scores.</returns>
    /// <exception cref="ArgumentException">The lists differ in length, or a series and its scores differ in length.</exception>
    public static NabSweepResult FindBest(IReadOnlyList<NabSeries> series, IReadOnlyList<double[]> scores, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(scores);
        if (series.Count != scores.Count)
        {
            throw new ArgumentException($"{series.Count} series but {scores.Count} score arrays.", nameof(scores));
        }

        var candidates = 0;
        var totalWindows = 0;
        for (var f = 0; f < series.Count; f++)
        {
            if (scores[f].Length != series[f].RowCount)
            {
                throw new ArgumentException($"{series[f].Key} has {series[f].RowCount} rows but {scores[f].Length} scores were given.", nameof(scores));
            }

            candidates += series[f].RowCount - NabScorer.ProbationRows(series[f].RowCount);
            totalWindows += series[f].WindowRows.Length;
        }

        // Per scored row: its score (negated, so an ascending sort is highest first), the global window
        // it falls in (-1 outside) and its unweighted value.
        var keys = new double[candidates];
        var windowOf = new int[candidates];
        var values = new double[candidates];
        var n = 0;
        var windowBase = 0;
        var maxScore = double.NegativeInfinity;
        for (var f = 0; f < series.Count; f++)
        {
            var s = series[f];
            var fileScores = scores[f];
            var windows = s.WindowRows.AsSpan();
            var next = 0;
            NabRowRange? previous = null;
            for (var i = NabScorer.ProbationRows(s.RowCount); i < s.RowCount; i++)
            {
                while (next < windows.Length && windows[next].Last < i)
                {
                    previous = windows[next];
                    next++;
                }

                var score = fileScores[i];
                if (double.IsNaN(score))
                {
                    continue;
                }

                maxScore = Math.Max(maxScore, score);
                keys[n] = -score;
                if (next < windows.Length && windows[next].First <= i)
                {
                    windowOf[n] = windowBase + next;
                    values[n] = NabScorer.WindowValue(i, windows[next]);
                }
                else
                {
                    windowOf[n] = -1;
                    values[n] = NabScorer.FalsePositiveValue(i, previous);
                }

                n++;
            }

            windowBase += windows.Length;
        }

        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order, 0, n);

        var best = new double[totalWindows];
        var bestSet = new bool[totalWindows];
        var raw = -profile.FalseNegativeWeight * totalWindows;
        var bestRaw = raw;
        var bestThreshold = n == 0 ? 1.0 : Math.BitIncrement(Math.Max(maxScore, 1.0));
        var k = 0;
        while (k < n)
        {
            var key = keys[k];
            for (; k < n && keys[k] == key; k++)
            {
                var row = order[k];
                var window = windowOf[row];
                var value = values[row];
                if (window < 0)
                {
                    raw += profile.FalsePositiveWeight * value;
                }
                else if (!bestSet[window])
                {
                    bestSet[window] = true;
                    best[window] = value;
                    raw += (profile.TruePositiveWeight * value) + profile.FalseNegativeWeight;
                }
                else if (value > best[window])
                {
                    raw += profile.TruePositiveWeight * (value - best[window]);
                    best[window] = value;
                }
            }

            if (raw > bestRaw)
            {
                bestRaw = raw;
                bestThreshold = -key;
            }
        }

        return new NabSweepResult(profile, bestThreshold, bestRaw, NabScorer.Normalise(bestRaw, totalWindows, profile));
    }
}
