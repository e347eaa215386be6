namespace AnalyticsHub.Tests.Anomalies;

/// <summary>Seeded synthetic series for the detector tests: 5-minute steps from a fixed origin.</summary>
internal static class SyntheticSeries
{
    public static readonly DateTimeOffset Origin = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    /// <summary>Points per day at 5-minute steps.</summary>
    public const int PerDay = 288;

    public static double[] Noise(int length, int seed, double mean = 100, double sigma = 1)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = mean + (sigma * Gaussian(random));
        }

        return values;
    }

    /// <summary>A daily sine (amplitude 10 around 100) with Gaussian noise.</summary>
    public static double[] Daily(int length, int seed, double sigma = 0.5)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = DailyShape(i) + (sigma * Gaussian(random));
        }

        return values;
    }

    public static double DailyShape(int i) => 100 + (10 * Math.Sin(2 * Math.PI * i / PerDay));

    public static DateTimeOffset At(int i) => Origin + (Step * i);

    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A Poisson draw (Knuth's product of uniforms below 30, the rounded normal approximation above).</summary>
    public static int Poisson(Random random, double rate)
    {
        if (rate >= 30)
        {
            return Math.Max(0, (int)Math.Round(rate + (Math.Sqrt(rate) * Gaussian(random))));
        }

        var limit = Math.Exp(-rate);
        var count = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble())
        {
            count++;
        }

        return count;
    }
}
