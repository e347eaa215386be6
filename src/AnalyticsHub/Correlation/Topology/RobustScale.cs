namespace AnalyticsHub.Correlation.Topology;

/// <summary>
/// The normal level and spread of a series: the median, and a robust standard deviation — 1.4826 × the median absolute
/// deviation; when more than half the values are equal (MAD 0, e.g. an availability at 100 %), the spread of the central
/// 90 % ((Q95 − Q05) / 3.29); when that is 0 too, 1.2533 × the mean absolute deviation; for a constant series 0.1 % of its
/// level (a millionth when the level is 0). Each factor makes the estimate the standard deviation of a normal sample.
/// </summary>
internal readonly record struct RobustScale(double Median, double Scale)
{
    public static RobustScale? Of(IReadOnlyList<double> values, int minimumCount)
    {
        var finite = new List<double>(values.Count);
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                finite.Add(value);
            }
        }

        if (finite.Count < minimumCount)
        {
            return null;
        }

        finite.Sort();
        var median = MedianOfSorted(finite);
        var deviations = new double[finite.Count];
        var sum = 0.0;
        for (var i = 0; i < finite.Count; i++)
        {
            deviations[i] = Math.Abs(finite[i] - median);
            sum += deviations[i];
        }

        Array.Sort(deviations);
        var scale = 1.4826 * MedianOfSorted(deviations);
        if (scale == 0)
        {
            var n = finite.Count - 1;
            scale = (finite[(int)Math.Ceiling(0.95 * n)] - finite[(int)Math.Floor(0.05 * n)]) / 3.29;
        }

        if (scale == 0)
        {
            scale = 1.2533 * sum / finite.Count;
        }

        if (scale == 0)
        {
            scale = median == 0 ? 1e-6 : 1e-3 * Math.Abs(median);
        }

        return new RobustScale(median, scale);
    }

    public double Deviation(double value) => (value - Median) / Scale;

    private static double MedianOfSorted(IReadOnlyList<double> sorted)
    {
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
