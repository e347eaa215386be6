using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Metrics;

public class StreamingStatsProperties
{
    private static StreamingStats Build(ReadOnlySpan<double> values)
    {
        var stats = default(StreamingStats);
        foreach (var value in values)
        {
            Assert.True(stats.TryAdd(value));
        }

        return stats;
    }

    private static (double SumAbs, double SumSquares) Magnitudes(double[] values)
    {
        double sumAbs = 0, sumSquares = 0;
        foreach (var x in values)
        {
            sumAbs += Math.Abs(x);
            sumSquares += x * x;
        }

        return (sumAbs, sumSquares);
    }

    private static void AssertClose(in StreamingStats expected, in StreamingStats actual, double[] values)
    {
        var (sumAbs, sumSquares) = Magnitudes(values);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.True(Math.Abs(expected.Sum - actual.Sum) <= 1e-9 * sumAbs, $"sum {expected.Sum:R} vs {actual.Sum:R}");
        Assert.True(Math.Abs(expected.Mean - actual.Mean) * values.Length <= 1e-9 * sumAbs, $"mean {expected.Mean:R} vs {actual.Mean:R}");
        Assert.True(
            Math.Abs(expected.SumOfSquaredDeviations - actual.SumOfSquaredDeviations) <= 1e-9 * sumSquares,
            $"M2 {expected.SumOfSquaredDeviations:R} vs {actual.SumOfSquaredDeviations:R}");
    }

    /// <summary>A run added after any prefix is the state, bit for bit, of adding every value one by one (non-finite ones refused).</summary>
    [Property(MaxTest = 300)]
    public void TryAddRun_AfterAnyPrefix_BitIdenticalToOneByOne(byte kind, int seed, ushort length, ushort cut, byte nonFinite)
    {
        var values = ValueSets.Create(kind, seed, length);
        var random = new Random(seed);
        for (var k = 0; k < nonFinite % 4; k++)
        {
            values[random.Next(values.Length)] = k % 2 == 0 ? double.NaN : double.NegativeInfinity;
        }

        var i = cut % (values.Length + 1);
        var oneByOne = default(StreamingStats);
        var accepted = 0;
        foreach (var value in values)
        {
            accepted += oneByOne.TryAdd(value) ? 1 : 0;
        }

        var run = default(StreamingStats);
        var acceptedBefore = 0;
        foreach (var value in values[..i])
        {
            acceptedBefore += run.TryAdd(value) ? 1 : 0;
        }

        var acceptedInRun = run.TryAdd(values.AsSpan(i));

        Assert.Equal(accepted, acceptedBefore + acceptedInRun);
        Assert.Equal(Bits(oneByOne), Bits(run));
    }

    /// <summary>Every stored part of the state as bits, so equal means bit for bit (NaN of an empty state included).</summary>
    internal static (ulong, long, long, long, long, long, long) Bits(in StreamingStats stats)
    {
        var (sum, compensation, mean) = stats.RawParts;
        return (stats.Count, BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(compensation), BitConverter.DoubleToInt64Bits(mean),
            BitConverter.DoubleToInt64Bits(stats.SumOfSquaredDeviations), BitConverter.DoubleToInt64Bits(stats.Min), BitConverter.DoubleToInt64Bits(stats.Max));
    }

    [Property(MaxTest = 300)]
    public void Merge_SplitInThree_MatchesSinglePassWithinTolerance(byte kind, int seed, ushort length, ushort cut1, ushort cut2)
    {
        var values = ValueSets.Create(kind, seed, length);
        var i = cut1 % (values.Length + 1);
        var j = cut2 % (values.Length + 1);
        (i, j) = (Math.Min(i, j), Math.Max(i, j));
        var whole = Build(values);
        var a = Build(values.AsSpan(0, i));
        var b = Build(values.AsSpan(i, j - i));
        var c = Build(values.AsSpan(j));

        var left = a;
        left.Merge(b);
        left.Merge(c);
        var right = c;
        right.Merge(b);
        right.Merge(a);
        var bc = b;
        bc.Merge(c);
        var associated = a;
        associated.Merge(bc);

        AssertClose(whole, left, values);
        AssertClose(whole, right, values);
        AssertClose(whole, associated, values);
    }

    [Property(MaxTest = 300)]
    public void Variance_AnyValues_MatchesTwoPassBaselineWithinTolerance(byte kind, int seed, ushort length)
    {
        var values = ValueSets.Create(kind, seed, length);
        var stats = Build(values);
        var (sumAbs, sumSquares) = Magnitudes(values);
        var sum = 0m;
        foreach (var x in values)
        {
            sum += (decimal)x;
        }

        var mean = (double)(sum / values.Length);
        double m2 = 0;
        foreach (var x in values)
        {
            m2 += (x - mean) * (x - mean);
        }

        Assert.True(Math.Abs((double)sum - stats.Sum) <= 1e-9 * sumAbs);
        Assert.True(Math.Abs(m2 - stats.SumOfSquaredDeviations) <= 1e-9 * sumSquares);
        if (values.Length > 1)
        {
            Assert.True(Math.Abs((m2 / (values.Length - 1)) - stats.Variance) * (values.Length - 1) <= 1e-9 * sumSquares);
        }
    }

    [Property(MaxTest = 200)]
    public void Merge_CancellingMagnitudes_SumStaysWithinTolerance(int seed, ushort cut)
    {
        // Large values that cancel exactly around small ones, shuffled and split anywhere.
        var random = new Random(seed);
        var values = new double[40];
        for (var k = 0; k < 20; k += 2)
        {
            var big = Math.Pow(10, random.Next(10, 17));
            values[k] = big;
            values[k + 1] = -big;
        }

        var exact = 0.0;
        for (var k = 20; k < 40; k++)
        {
            values[k] = random.Next(1, 10);
            exact += values[k];
        }

        random.Shuffle(values);
        var i = cut % (values.Length + 1);
        var merged = Build(values.AsSpan(0, i));
        merged.Merge(Build(values.AsSpan(i)));
        var (sumAbs, _) = Magnitudes(values);
        Assert.True(Math.Abs(merged.Sum - exact) <= 1e-9 * sumAbs);
        Assert.True(Math.Abs(Build(values).Sum - exact) <= 1e-9 * sumAbs);
    }
}
