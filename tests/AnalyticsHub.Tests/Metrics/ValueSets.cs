using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Metrics;

/// <summary>Seeded value sets of the shapes the sketch must handle, and the exact baselines to check it against.</summary>
internal static class ValueSets
{
    public const int KindCount = 11;

    public static readonly double[] Quantiles =
        [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1];

    public static string KindName(int kind) => (kind % KindCount) switch
    {
        0 => "uniform",
        1 => "lognormal",
        2 => "pareto",
        3 => "constant",
        4 => "zeros",
        5 => "negatives",
        6 => "mixed-signs",
        7 => "twelve-decades",
        8 => "rounded-latencies",
        9 => "small-integers",
        _ => "mixed-with-zeros",
    };

    public static double[] Create(int kind, int seed, int length)
    {
        var random = new Random(seed);
        var n = 1 + (Math.Abs(length) % 2000);
        var values = new double[n];
        var constant = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 6));
        for (var i = 0; i < n; i++)
        {
            values[i] = (kind % KindCount) switch
            {
                0 => random.NextDouble() * 1000,
                1 => LogNormal(random, 200, 0.9),
                2 => Math.Pow(1 - random.NextDouble(), -1 / 1.1),
                3 => constant,
                4 => 0,
                5 => -LogNormal(random, 200, 0.9),
                6 => Normal(random) * 100,
                7 => (random.Next(2) == 0 ? -1 : 1) * Math.Pow(10, (random.NextDouble() * 12) - 6),
                8 => Math.Round(LogNormal(random, 200, 0.9), 1),
                9 => random.Next(0, 20),
                _ => random.Next(4) switch { 0 => 0, 1 => -LogNormal(random, 1, 2), _ => LogNormal(random, 1, 2) },
            };
        }

        return values;
    }

    public static double LogNormal(Random random, double median, double sigma) => median * Math.Exp(sigma * Normal(random));

    public static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The exact R-7 quantile of sorted values.</summary>
    public static double ExactQuantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var low = (int)Math.Floor(h);
        var high = (int)Math.Ceiling(h);
        return sorted[low] + ((h - low) * (sorted[high] - sorted[low]));
    }

    // Asserts decision 10's bound: x[floor(h)] - a|x[floor(h)]| <= v <= x[ceil(h)] + a|x[ceil(h)]|.
    public static void AssertWithinBound(double[] sorted, double q, double actual, string context)
    {
        var alpha = AnalyticsHub.Statistics.QuantileSketch.RelativeAccuracy;
        var h = (sorted.Length - 1) * q;
        var low = sorted[(int)Math.Floor(h)];
        var high = sorted[(int)Math.Ceiling(h)];

        // A few ulps of slack for the rounding of the representative and the interpolation.
        var slack = 1e-12 * (Math.Abs(low) + Math.Abs(high));
        var lowerBound = low - (alpha * Math.Abs(low)) - slack;
        var upperBound = high + (alpha * Math.Abs(high)) + slack;
        Assert.True(
            actual >= lowerBound && actual <= upperBound,
            $"{context}: q={q:R} returned {actual:R}, allowed [{lowerBound:R}, {upperBound:R}] (x[floor(h)]={low:R}, x[ceil(h)]={high:R}, n={sorted.Length})");
    }
}
