using System.Numerics;
using System.Text;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Metrics;

public class QuantileSketchTests
{
    [Fact]
    public void Quantile_EmptySketch_ReturnsNaN()
    {
        var sketch = new QuantileSketch();
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.True(double.IsNaN(sketch.Min));
        Assert.True(double.IsNaN(sketch.Max));
        Assert.Equal(0UL, sketch.Count);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Quantile_OutsideZeroToOne_Throws(double q) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantileSketch().Quantile(q));

    [Theory]
    [InlineData(0.2)]
    [InlineData(-3.5e-7)]
    [InlineData(0.0)]
    [InlineData(1e300)]
    public void Quantile_OneValue_ReturnsThatValueForEveryQ(double value)
    {
        var sketch = new QuantileSketch();
        sketch.TryAdd(value);
        foreach (var q in ValueSets.Quantiles)
        {
            Assert.Equal(value, sketch.Quantile(q));
        }
    }

    [Fact]
    public void Quantile_AllEqual_ReturnsTheValueExactly()
    {
        var sketch = new QuantileSketch();
        for (var i = 0; i < 1000; i++)
        {
            sketch.TryAdd(0.137);
        }

        // The representative is clamped to [min, max], which are both the value.
        Assert.Equal(0.137, sketch.Quantile(0.5));
        Assert.Equal(0.137, sketch.Quantile(0.99));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void TryAdd_NonFinite_RefusedAndNothingStored(double value)
    {
        var sketch = new QuantileSketch();
        sketch.TryAdd(1.0);
        var before = sketch.ToBinary();
        Assert.False(sketch.TryAdd(value));
        Assert.Equal(1UL, sketch.Count);
        Assert.Equal(before, sketch.ToBinary());
    }

    [Fact]
    public void TryAdd_ZeroAndNegativeZero_CountedAsZeros()
    {
        var sketch = new QuantileSketch();
        sketch.TryAdd(0.0);
        sketch.TryAdd(-0.0);
        sketch.TryAdd(-1.0);
        Assert.Equal(2UL, sketch.ZeroCount);
        Assert.Equal(0.0, sketch.Quantile(0.75));
    }

    [Fact]
    public void Thresholds_DerivedWithExactIntegers_MatchTheTable()
    {
        var thresholds = QuantileSketch.ThresholdsForTesting;
        Assert.Equal(65, thresholds.Length);
        Assert.Equal(0UL, thresholds[0]);
        Assert.Equal(ulong.MaxValue, thresholds[64]);
        for (var k = 1; k < 64; k++)
        {
            // T_k is the largest m with (2^52 + m)^64 < 2^(52*64 + k).
            var t = (BigInteger)thresholds[k];
            var limit = BigInteger.One << ((52 * 64) + k);
            Assert.True(BigInteger.Pow((BigInteger.One << 52) + t, 64) < limit, $"T_{k} too large");
            Assert.True(BigInteger.Pow((BigInteger.One << 52) + t + 1, 64) >= limit, $"T_{k} too small");
        }

        var cells = QuantileSketch.CellTableForTesting;
        Assert.Equal(128, cells.Length);
        for (var c = 0; c < 128; c++)
        {
            var below = 0;
            for (var k = 0; k < 64; k++)
            {
                below += thresholds[k] < ((ulong)c << 45) ? 1 : 0;
            }

            Assert.Equal(below, cells[c]);
        }
    }

    [Fact]
    public void MapToIndex_ValuesAdjacentToEveryBoundary_LandInTheirExactBucket()
    {
        var thresholds = QuantileSketch.ThresholdsForTesting;
        foreach (var exponent in new[] { -1074, -1060, -1022, -30, -1, 0, 1, 20, 1023 })
        {
            for (var k = 0; k < 64; k++)
            {
                for (var delta = 0UL; delta <= 1; delta++)
                {
                    var mantissa = thresholds[k] + delta;
                    var value = Math.ScaleB(1 + (mantissa / 4503599627370496.0), exponent);
                    if (value > 0 && double.IsFinite(value))
                    {
                        QuantileSketchProperties.AssertInOwnBucket(value);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1.0, -1)]
    [InlineData(2.0, 63)]
    [InlineData(0.5, -65)]
    [InlineData(double.MaxValue, QuantileSketch.MaxBucketIndex)]
    [InlineData(double.Epsilon, QuantileSketch.MinBucketIndex)]
    public void MapToIndex_PowersOfTwoAndExtremes_FollowOpenTelemetryConvention(double value, int expected) =>
        Assert.Equal(expected, QuantileSketch.MapToIndex(value));

    [Fact]
    public void GetMemoryBytes_OneMillisecondToOneHour_StaysUnder8KB()
    {
        var sketch = new QuantileSketch();
        var random = new Random(7);

        // Sweep upwards then fill randomly: the worst case for growth of the bucket array.
        for (var v = 0.001; v <= 3600; v *= 1.001)
        {
            sketch.TryAdd(v);
        }

        for (var i = 0; i < 100_000; i++)
        {
            sketch.TryAdd(0.001 * Math.Pow(3.6e6, random.NextDouble()));
        }

        Assert.InRange(sketch.GetMemoryBytes(), 1, 8 * 1024);
        Assert.False(sketch.IsCollapsed);
    }

    [Fact]
    public void GetMemoryBytes_SweepDownwards_StaysUnder8KB()
    {
        var sketch = new QuantileSketch();
        for (var v = 3600.0; v >= 0.001; v /= 1.001)
        {
            sketch.TryAdd(v);
        }

        Assert.InRange(sketch.GetMemoryBytes(), 1, 8 * 1024);
    }

    [Fact]
    public void Merge_DifferentLimits_Throws() =>
        Assert.Throws<ArgumentException>(() => new QuantileSketch(100).Merge(new QuantileSketch(200)));

    [Fact]
    public void TryAdd_ExtremeMagnitudes_CollapseLowestAndKeepGuaranteeAbove()
    {
        var sketch = new QuantileSketch();
        double[] values = [double.Epsilon, 1e-300, 1e-10, 1, 1e10, double.MaxValue];
        foreach (var v in values)
        {
            sketch.TryAdd(v);
        }

        Assert.True(sketch.IsCollapsed);
        Assert.Equal(double.Epsilon, sketch.Min);
        Assert.Equal(double.MaxValue, sketch.Max);

        // 4096 buckets below 2^1024 reach down to 2^960, about 1e289: everything lower collapsed.
        Assert.Equal(Math.Pow(2, 960), sketch.CollapsedMagnitudeLimit, 1e-6 * Math.Pow(2, 960));
        ValueSets.AssertWithinBound(values, 1.0, sketch.Quantile(1.0), "max");
        Assert.Equal(QuantileSketch.Representative(QuantileSketch.MaxBucketIndex - 4095), sketch.Quantile(0.6));
    }

    [Fact]
    public void TryAdd_AtCollapseBoundary_LowestRetainedBucketIsExactAndBelowIsFolded()
    {
        var sketch = new QuantileSketch(64);

        // Bucket 63 holds 2.0; with 64 buckets the floor is bucket 0, which holds (1, 2^(1/64)].
        sketch.TryAdd(2.0);
        sketch.TryAdd(1.005);
        Assert.False(sketch.IsCollapsed);
        sketch.TryAdd(1.0);
        Assert.True(sketch.IsCollapsed);
        Assert.Equal(1.0, sketch.CollapsedMagnitudeLimit, 1e-12);

        var json = Encoding.UTF8.GetString(sketch.ToJson());
        Assert.Contains("\"positive\":{\"collapsed\":true,\"offset\":0,\"counts\":[2,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_CountsBeyond32Bits_WidenWithoutLoss()
    {
        var json = """{"version":1,"max_buckets_per_sign":4096,"count":4000000000,"zero_count":0,"min":1,"max":1,"positive":{"collapsed":false,"offset":-1,"counts":[4000000000]},"negative":{"collapsed":false,"offset":0,"counts":[]}}"""u8;
        var sketch = QuantileSketch.FromJson(json);
        sketch.Merge(QuantileSketch.FromJson(json));
        sketch.TryAdd(1.0);
        Assert.Equal(8_000_000_001UL, sketch.Count);
        Assert.Contains("\"counts\":[8000000001]", Encoding.UTF8.GetString(sketch.ToJson()), StringComparison.Ordinal);
        Assert.True(sketch.GetMemoryBytes() > 24 + 8);
        Assert.Equal(1.0, sketch.Quantile(0.5));
    }

    [Fact]
    public void Reset_AfterValues_IsEmptyAndReusable()
    {
        var sketch = new QuantileSketch();
        sketch.TryAdd(5);
        sketch.TryAdd(-5);
        sketch.Reset();
        Assert.Equal(0UL, sketch.Count);
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        sketch.TryAdd(1e6);
        Assert.Equal(1e6, sketch.Quantile(0.5));
        Assert.True(sketch.ContentEquals(QuantileSketch.FromBinary(sketch.ToBinary())));
    }

    [Fact]
    public void ToHistogramBuckets_GenAiBoundaries_CountsPerBucketWithMaxAsFinalBound()
    {
        var sketch = new QuantileSketch();
        double[] seconds = [0.005, 0.015, 0.015, 0.3, 0.7, 3, 100, 200];
        foreach (var s in seconds)
        {
            sketch.TryAdd(s);
        }

        var buckets = sketch.ToHistogramBuckets(HistogramBoundaries.GenAiDurationSeconds);
        Assert.Equal(15, buckets.Length);
        Assert.Equal(new HistogramBucket(0.01, 1), buckets[0]);
        Assert.Equal(new HistogramBucket(0.02, 2), buckets[1]);
        Assert.Equal(new HistogramBucket(0.32, 1), buckets[5]);
        Assert.Equal(new HistogramBucket(1.28, 1), buckets[7]);
        Assert.Equal(new HistogramBucket(5.12, 1), buckets[9]);
        Assert.Equal(new HistogramBucket(200, 2), buckets[14]);
    }

    [Fact]
    public void ToHistogramBuckets_NothingAboveLastBound_HasNoFinalBucket()
    {
        var sketch = new QuantileSketch();
        sketch.TryAdd(81.92);
        var buckets = sketch.ToHistogramBuckets(HistogramBoundaries.GenAiDurationSeconds);
        Assert.Equal(14, buckets.Length);
        Assert.Equal(1UL, buckets[13].Count);
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 1.0, 1.0 })]
    [InlineData(new[] { 2.0, 1.0 })]
    [InlineData(new[] { 1.0, double.PositiveInfinity })]
    [InlineData(new[] { double.NaN })]
    public void ToHistogramBuckets_InvalidBounds_Throws(double[] bounds) =>
        Assert.Throws<ArgumentException>(() => new QuantileSketch().ToHistogramBuckets(bounds));

    [Fact]
    public void FromBinary_EveryTruncation_FailsWithFormatError()
    {
        var sketch = new QuantileSketch();
        foreach (var v in new[] { -3.0, 0, 1, 2, 1000 })
        {
            sketch.TryAdd(v);
        }

        var bytes = sketch.ToBinary();
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.False(QuantileSketch.TryFromBinary(bytes.AsSpan(0, n), out _, out var error), $"prefix {n}");
            Assert.StartsWith("Malformed quantile sketch", error);
        }
    }

    [Fact]
    public void ToBinary_KnownSketch_WritesTheDocumentedLayoutByteForByte()
    {
        var sketch = new QuantileSketch();
        foreach (var value in new[] { 3.0, 0.0, 1.5, -2.0, 1.5 })
        {
            sketch.TryAdd(value);
        }

        byte[] expected =
        [
            1, 0x80, 0x20, 1, 1, // version, limit 4096 (varint), flags "has values", one zero
            .. BitConverter.GetBytes(-2.0), .. BitConverter.GetBytes(3.0), // min and max
            2, 74, 2, 63, 1, // positive: 2 buckets; 1.5 in bucket 37 (zigzag 74) twice, 3.0 in bucket 101 (gap 63) once
            1, 126, 1, // negative: 1 bucket; 2.0 (a power of two) in bucket 63 (zigzag 126) once
        ];
        Assert.Equal(expected, sketch.ToBinary());

        // A store whose array has grown and moved keeps the same bytes for the same values.
        var moved = new QuantileSketch();
        moved.TryAdd(1e-9);
        moved.TryAdd(1e9);
        moved.Reset();
        foreach (var value in new[] { 1.5, -2.0, 3.0, 0.0, 1.5 })
        {
            moved.TryAdd(value);
        }

        Assert.Equal(expected, moved.ToBinary());

        // Over a thousand bytes (a pooled buffer rather than the stack): read back to the same sketch.
        var wide = new QuantileSketch();
        for (var i = 1; i <= 2_000; i++)
        {
            wide.TryAdd(i * (i % 2 == 0 ? 1.0 : -1.0));
        }

        var bytes = wide.ToBinary();
        Assert.True(bytes.Length > 1_024);
        Assert.True(wide.ContentEquals(QuantileSketch.FromBinary(bytes)));
    }

    [Theory]
    [InlineData(new byte[] { 2, 1, 0, 0, 0, 0 }, "version")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0 }, "max_buckets_per_sign 0")]
    [InlineData(new byte[] { 1, 1, 8, 0, 0, 0 }, "unknown flags")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 9 }, "trailing")]
    [InlineData(new byte[] { 1, 1, 0, 0, 1, 2, 0, 0 }, "zero count")]
    [InlineData(new byte[] { 1, 1, 0, 0, 2, 2, 1, 0, 1, 0 }, "more than the limit")]
    [InlineData(new byte[] { 1, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "overflows")]
    [InlineData(new byte[] { 1, 1, 0, 1, 0, 0 }, "needs finite min")]
    public void FromBinary_MalformedInput_ThrowsFormatExceptionSayingWhy(byte[] bytes, string reason)
    {
        var error = Assert.Throws<FormatException>(() => QuantileSketch.FromBinary(bytes));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_MinOutsideItsBucket_ThrowsFormatException()
    {
        var sketch = new QuantileSketch();
        sketch.TryAdd(1.5);
        var bytes = sketch.ToBinary();

        // The min sits right after version, limit (2 bytes), flags and zero count.
        BitConverter.GetBytes(1.0).CopyTo(bytes, 5);
        var error = Assert.Throws<FormatException>(() => QuantileSketch.FromBinary(bytes));
        Assert.Contains("extreme buckets", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "invalid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"version\":1,\"version\":1}", "duplicate member \"version\"")]
    [InlineData("{\"version\":2}", "unsupported sketch version 2")]
    [InlineData("{\"version\":1,\"max_buckets_per_sign\":10,\"count\":0,\"positive\":{\"collapsed\":false,\"offset\":0,\"counts\":[]},\"negative\":{\"collapsed\":false,\"offset\":0,\"counts\":[]}}", "missing member \"zero_count\"")]
    [InlineData("{\"version\":1,\"max_buckets_per_sign\":10,\"count\":1,\"zero_count\":-1}", "\"zero_count\" must be a non-negative integer")]
    [InlineData("{\"version\":1,\"max_buckets_per_sign\":10,\"count\":1,\"zero_count\":1.5}", "\"zero_count\" must be a non-negative integer")]
    [InlineData("{\"version\":1,\"max_buckets_per_sign\":10,\"count\":2,\"zero_count\":1,\"min\":0,\"max\":0,\"positive\":{\"collapsed\":false,\"offset\":0,\"counts\":[]},\"negative\":{\"collapsed\":false,\"offset\":0,\"counts\":[]}}", "differs from the sum")]
    [InlineData("{\"version\":1,\"max_buckets_per_sign\":10,\"count\":1,\"zero_count\":0,\"min\":1,\"max\":1,\"positive\":{\"collapsed\":false,\"offset\":-1,\"counts\":[1,0]},\"negative\":{\"collapsed\":false,\"offset\":0,\"counts\":[]}}", "non-zero count")]
    [InlineData("{\"version\":1,\"max_buckets_per_sign\":10,\"count\":1,\"zero_count\":0,\"min\":1e400,\"max\":1}", "\"min\" must be a finite number")]
    [InlineData("{\"version\":1,\"max_buckets_per_sign\":10,\"count\":0,\"zero_count\":0,\"positive\":{\"collapsed\":false,\"offset\":0,\"counts\":[]},\"negative\":{\"collapsed\":false,\"offset\":0,\"counts\":[]}} x", "invalid JSON")]
    [InlineData("{\"version\":1,\"max_buckets_per_sign\":10,\"count\":0,\"zero_count\":0,\"positive\":{\"collapsed\":true,\"offset\":0,\"counts\":[]},\"negative\":{\"collapsed\":false,\"offset\":0,\"counts\":[]}}", "marked collapsed")]
    public void FromJson_MalformedInput_FailsWithMessageSayingWhy(string json, string reason)
    {
        Assert.False(QuantileSketch.TryFromJson(Encoding.UTF8.GetBytes(json), out var sketch, out var error));
        Assert.Null(sketch);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_UnknownMembers_Ignored()
    {
        var json = "{\"note\":[1,{\"a\":2}],\"version\":1,\"max_buckets_per_sign\":10,\"count\":1,\"zero_count\":1,\"min\":0,\"max\":0,\"positive\":{\"collapsed\":false,\"offset\":0,\"counts\":[],\"x\":1},\"negative\":{\"collapsed\":false,\"offset\":0,\"counts\":[]}}";
        var sketch = QuantileSketch.FromJson(Encoding.UTF8.GetBytes(json));
        Assert.Equal(1UL, sketch.ZeroCount);
    }

    [Fact]
    public void Quantile_WorkedExampleOfDocs_GivesDocumentedAnswers()
    {
        var sketch = new QuantileSketch();
        var stats = default(StreamingStats);
        foreach (var v in new[] { 0.12, 0.15, 0.20, 0.90, 3.10 })
        {
            sketch.TryAdd(v);
            stats.TryAdd(v);
        }

        Assert.Equal(-10, QuantileSketch.MapToIndex(0.90));
        Assert.Equal(104, QuantileSketch.MapToIndex(3.10));
        Assert.Equal(2.6613, sketch.Quantile(0.95), 4);
        Assert.Equal(1.2748, stats.StandardDeviation, 4);
        var buckets = sketch.ToHistogramBuckets(HistogramBoundaries.GenAiDurationSeconds);
        Assert.Equal(14, buckets.Length);
        Assert.Equal(2UL, buckets[4].Count);
        Assert.Equal(1UL, buckets[5].Count);
        Assert.Equal(1UL, buckets[7].Count);
        Assert.Equal(1UL, buckets[9].Count);
    }
}
