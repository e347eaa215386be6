using System.Numerics;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Metrics;

public class QuantileSketchProperties
{
    private static QuantileSketch Build(double[] values, int limit = QuantileSketch.DefaultMaxBucketsPerSign)
    {
        var sketch = new QuantileSketch(limit);
        foreach (var value in values)
        {
            Assert.True(sketch.TryAdd(value));
        }

        return sketch;
    }

    /// <summary>
    /// A run insert after some values added one by one gives the sketch, byte for byte, that adding every value one by
    /// one gives — non-finite values refused in both, collapsed (a small bucket limit) or not.
    /// </summary>
    [Property(MaxTest = 300)]
    public void TryAddRun_AfterAnyPrefix_SameSketchAsOneByOne(byte kind, int seed, ushort length, ushort cut, byte nonFinite, bool small)
    {
        var values = ValueSets.Create(kind, seed, length);
        var random = new Random(seed);
        for (var k = 0; k < nonFinite % 4; k++)
        {
            values[random.Next(values.Length)] = (k % 3) switch { 0 => double.NaN, 1 => double.PositiveInfinity, _ => double.NegativeInfinity };
        }

        var limit = small ? 24 : QuantileSketch.DefaultMaxBucketsPerSign;
        var i = cut % (values.Length + 1);
        var oneByOne = new QuantileSketch(limit);
        var accepted = 0;
        foreach (var value in values)
        {
            accepted += oneByOne.TryAdd(value) ? 1 : 0;
        }

        var run = new QuantileSketch(limit);
        var acceptedBefore = 0;
        foreach (var value in values[..i])
        {
            acceptedBefore += run.TryAdd(value) ? 1 : 0;
        }

        var acceptedInRun = run.TryAdd(values.AsSpan(i));

        Assert.Equal(accepted, acceptedBefore + acceptedInRun);
        Assert.True(run.ContentEquals(oneByOne));
        Assert.Equal(oneByOne.ToBinary(), run.ToBinary());
        Assert.Equal((oneByOne.Count, oneByOne.ZeroCount, oneByOne.IsCollapsed), (run.Count, run.ZeroCount, run.IsCollapsed));
        Assert.Equal(BitConverter.DoubleToInt64Bits(oneByOne.Min), BitConverter.DoubleToInt64Bits(run.Min));
        Assert.Equal(BitConverter.DoubleToInt64Bits(oneByOne.Max), BitConverter.DoubleToInt64Bits(run.Max));
    }

    [Property(MaxTest = 300)]
    public void Quantile_AnyValueSet_WithinDecision10Bound(byte kind, int seed, ushort length, byte extraQ)
    {
        var values = ValueSets.Create(kind, seed, length);
        var sketch = Build(values);
        Assert.False(sketch.IsCollapsed);
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var context = ValueSets.KindName(kind);
        foreach (var q in ValueSets.Quantiles)
        {
            ValueSets.AssertWithinBound(sorted, q, sketch.Quantile(q), context);
        }

        ValueSets.AssertWithinBound(sorted, extraQ / 255.0, sketch.Quantile(extraQ / 255.0), context);
        Assert.Equal(sorted[0], sketch.Min);
        Assert.Equal(sorted[^1], sketch.Max);
        Assert.Equal((ulong)values.Length, sketch.Count);
    }

    [Property(MaxTest = 200)]
    public void Merge_SplitInThree_EqualsSinglePassExactlyInAnyOrder(byte kind, int seed, ushort length, ushort cut1, ushort cut2)
    {
        var values = ValueSets.Create(kind, seed, length);
        var i = cut1 % (values.Length + 1);
        var j = cut2 % (values.Length + 1);
        (i, j) = (Math.Min(i, j), Math.Max(i, j));
        var whole = Build(values);
        var a = Build(values[..i]);
        var b = Build(values[i..j]);
        var c = Build(values[j..]);

        var leftFirst = a.Clone();
        leftFirst.Merge(b);
        leftFirst.Merge(c);

        var rightFirst = b.Clone();
        rightFirst.Merge(c);
        var associated = a.Clone();
        associated.Merge(rightFirst);

        var reversed = c.Clone();
        reversed.Merge(b);
        reversed.Merge(a);

        foreach (var merged in new[] { leftFirst, associated, reversed })
        {
            Assert.True(merged.ContentEquals(whole));
            Assert.Equal(whole.ToBinary(), merged.ToBinary());
        }
    }

    /// <summary>
    /// A window's sketch merged into its hour's, which already holds values spanning the window's (the aggregator's close
    /// pass; the merge then skips scanning the hour's array for its extremes), equals the single pass over both, and an
    /// array that covers the window's buckets is kept as it is; collapsed (a small bucket limit) or not.
    /// </summary>
    [Property(MaxTest = 200)]
    public void Merge_IntoASketchWhoseArrayCoversIt_EqualsSinglePassAndKeepsTheArray(byte kind, int seed, ushort length, ushort cut1, ushort cut2, bool small)
    {
        var values = ValueSets.Create(kind, seed, length);
        var limit = small ? 24 : QuantileSketch.DefaultMaxBucketsPerSign;
        var i = cut1 % (values.Length + 1);
        var j = cut2 % (values.Length + 1);
        (i, j) = (Math.Min(i, j), Math.Max(i, j));
        var hour = Build(values, limit);
        var window = Build(values[i..j], limit);
        var bytes = hour.GetMemoryBytes();

        hour.Merge(window);

        var whole = Build([.. values, .. values[i..j]], limit);
        Assert.True(hour.ContentEquals(whole));
        Assert.Equal(whole.ToBinary(), hour.ToBinary());
        if (!small)
        {
            Assert.Equal(bytes, hour.GetMemoryBytes());
        }
    }

    /// <summary>
    /// A sketch emptied and filled again (the aggregator's pooled windows) equals a fresh sketch of the new values, merged
    /// or not, and keeps the arrays it has while the new values' span fits them (their counts move within them): values
    /// of the same span at another place need no new array.
    /// </summary>
    [Property(MaxTest = 200)]
    public void Reset_ThenAnyValues_SameAsFreshAndKeepsArraysTheSpanFits(byte kind, int seed, ushort length, byte otherKind, int otherSeed, ushort otherLength)
    {
        var earlier = ValueSets.Create(kind, seed, length);
        var values = ValueSets.Create(otherKind, otherSeed, otherLength);
        var fresh = Build(values);
        var refilled = Build(earlier);
        refilled.Reset();
        foreach (var value in values)
        {
            refilled.TryAdd(value);
        }

        // Four times each value: the same span, two doublings (128 buckets) higher.
        var shifted = values.Select(v => v * 4).ToArray();
        var reference = Build(shifted);
        var same = Build(values);
        var bytes = same.GetMemoryBytes();
        same.Reset();
        foreach (var value in shifted)
        {
            same.TryAdd(value);
        }

        var merged = Build(earlier);
        merged.Reset();
        merged.Merge(fresh);

        Assert.True(refilled.ContentEquals(fresh));
        Assert.Equal(fresh.ToBinary(), refilled.ToBinary());
        Assert.True(same.ContentEquals(reference));
        Assert.Equal(reference.ToBinary(), same.ToBinary());
        Assert.True(merged.ContentEquals(fresh));
        if (!fresh.IsCollapsed && !reference.IsCollapsed)
        {
            Assert.Equal(bytes, same.GetMemoryBytes());
        }
    }

    /// <summary>Merging a sketch's binary form (rollup cells keep them packed) equals merging the sketch, collapsed or not.</summary>
    [Property(MaxTest = 200)]
    public void MergeBinary_AnySplit_EqualsMerge(byte kind, int seed, ushort length, ushort cut, bool small)
    {
        var values = ValueSets.Create(kind, seed, length);
        var limit = small ? 24 : QuantileSketch.DefaultMaxBucketsPerSign;
        var i = cut % (values.Length + 1);
        var a = Build(values[..i], limit);
        var b = Build(values[i..], limit);

        var merged = a.Clone();
        merged.Merge(b);
        var fromBinary = a.Clone();
        fromBinary.MergeBinary(b.ToBinary());

        Assert.True(fromBinary.ContentEquals(merged));
        Assert.Equal(merged.ToBinary(), fromBinary.ToBinary());
    }

    [Property(MaxTest = 200)]
    public void Merge_WithCollapse_EqualsSinglePassExactly(int seed, ushort length, ushort cut, byte limitSeed)
    {
        // 12 decades of both signs into a store limited to 16..271 buckets: most sets collapse.
        var values = ValueSets.Create(7, seed, length);
        var limit = 16 + limitSeed;
        var i = cut % (values.Length + 1);
        var whole = Build(values, limit);
        var ab = Build(values[..i], limit);
        var ba = Build(values[i..], limit);
        var left = ab.Clone();
        left.Merge(ba);
        ba.Merge(ab);
        Assert.True(left.ContentEquals(whole));
        Assert.True(ba.ContentEquals(whole));
        Assert.Equal(whole.ToBinary(), ba.ToBinary());
    }

    [Property(MaxTest = 200)]
    public void Quantile_Collapsed_WithinBoundOverRetainedRange(int seed, ushort length, byte limitSeed)
    {
        var values = ValueSets.Create(7, seed, length);
        var sketch = Build(values, 64 + limitSeed);
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var retained = sketch.CollapsedMagnitudeLimit;
        foreach (var q in ValueSets.Quantiles)
        {
            var h = (sorted.Length - 1) * q;
            if (Math.Abs(sorted[(int)Math.Floor(h)]) > retained && Math.Abs(sorted[(int)Math.Ceiling(h)]) > retained)
            {
                ValueSets.AssertWithinBound(sorted, q, sketch.Quantile(q), "collapsed");
            }
        }
    }

    [Property(MaxTest = 200)]
    public void Binary_RoundTrip_IsIdentity(byte kind, int seed, ushort length, bool collapse)
    {
        var sketch = Build(ValueSets.Create(kind, seed, length), collapse ? 40 : QuantileSketch.DefaultMaxBucketsPerSign);
        var bytes = sketch.ToBinary();
        var read = QuantileSketch.FromBinary(bytes);
        Assert.True(read.ContentEquals(sketch));
        Assert.Equal(bytes, read.ToBinary());
    }

    [Property(MaxTest = 200)]
    public void Json_RoundTrip_IsIdentity(byte kind, int seed, ushort length, bool collapse)
    {
        var sketch = Build(ValueSets.Create(kind, seed, length), collapse ? 40 : QuantileSketch.DefaultMaxBucketsPerSign);
        var json = sketch.ToJson();
        var read = QuantileSketch.FromJson(json);
        Assert.True(read.ContentEquals(sketch));
        Assert.Equal(json, read.ToJson());
    }

    [Property(MaxTest = 300)]
    public void FromBinary_CorruptedBytes_FailsWithFormatErrorOrReadsValidSketch(byte kind, int seed, ushort length, ushort at, byte xor, ushort cut)
    {
        var bytes = Build(ValueSets.Create(kind, seed, length)).ToBinary();
        bytes[at % bytes.Length] ^= (byte)(xor | 1);
        var truncated = bytes.AsSpan(0, cut % (bytes.Length + 1));
        foreach (var input in new[] { bytes, truncated.ToArray() })
        {
            // Only FormatException may escape; anything read must satisfy every invariant again.
            if (QuantileSketch.TryFromBinary(input, out var read, out var error))
            {
                Assert.True(QuantileSketch.FromBinary(read.ToBinary()).ContentEquals(read));
            }
            else
            {
                Assert.StartsWith("Malformed quantile sketch", error);
            }
        }
    }

    [Property(MaxTest = 200)]
    public void ToHistogramBuckets_AnyValueSet_MisassignsOnlyWithinAlphaOfABound(byte kind, int seed, ushort length)
    {
        var values = ValueSets.Create(kind, seed, length);
        var sketch = Build(values);
        double[] bounds = [-100, -1, 0, 0.5, 1, 10, 100, 150, 200, 250, 500, 1000];
        var buckets = sketch.ToHistogramBuckets(bounds);
        var alpha = QuantileSketch.RelativeAccuracy;
        var cumulative = 0UL;
        for (var k = 0; k < bounds.Length; k++)
        {
            cumulative += buckets[k].Count;
            var b = bounds[k];

            // Values at most b/(1+a) (towards -inf) must be counted at or below b; values beyond
            // b/(1-a) must not be.
            var surelyBelow = b >= 0 ? b / (1 + alpha) : b / (1 - alpha);
            var surelyAbove = b >= 0 ? b / (1 - alpha) : b / (1 + alpha);
            var atLeast = (ulong)values.Count(x => x <= surelyBelow);
            var atMost = (ulong)values.Count(x => x <= surelyAbove);
            Assert.InRange(cumulative, atLeast, atMost);
        }

        var total = 0UL;
        foreach (var bucket in buckets)
        {
            total += bucket.Count;
        }

        Assert.Equal(sketch.Count, total);
        if (buckets.Length > bounds.Length)
        {
            Assert.Equal(sketch.Max, buckets[^1].UpperBound);
            Assert.True(buckets[^1].Count > 0);
        }
    }

    [Property(MaxTest = 100)]
    public void MapToIndex_AnyPositiveDouble_SatisfiesBucketDefinitionExactly(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 20; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64(1, 0x7FF0_0000_0000_0000));
            AssertInOwnBucket(value);
        }
    }

    /// <summary>gamma^i &lt; value &lt;= gamma^(i+1)  &lt;=&gt;  2^i &lt; value^64 &lt;= 2^(i+1), checked exactly.</summary>
    internal static void AssertInOwnBucket(double value)
    {
        var index = QuantileSketch.MapToIndex(value);
        Assert.True(Compare(value, index) > 0, $"{value:R} is not above gamma^{index}");
        Assert.True(Compare(value, index + 1) <= 0, $"{value:R} is above gamma^{index + 1}");
    }

    /// <summary>Compares value^64 with 2^power using exact integers.</summary>
    internal static int Compare(double value, int power)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFF;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        // value = mantissa * 2^(exponent - 1075); value^64 = mantissa^64 * 2^(64 (exponent - 1075)).
        var left = BigInteger.Pow(mantissa, 64);
        var shift = (64 * (exponent - 1075)) - power;
        var right = BigInteger.One;
        if (shift >= 0)
        {
            left <<= shift;
        }
        else
        {
            right <<= -shift;
        }

        return left.CompareTo(right);
    }
}
