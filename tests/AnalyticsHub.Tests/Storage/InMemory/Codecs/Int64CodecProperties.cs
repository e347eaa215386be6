using AnalyticsHub.Storage.InMemory.Codecs;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Storage.InMemory.Codecs;

/// <summary>Every integer and timestamp codec round-trips exactly, whatever the input.</summary>
public class Int64CodecProperties
{
    private static readonly long[] Extremes = [long.MinValue, long.MaxValue, 0, -1, 1, long.MinValue + 1, long.MaxValue - 1];

    internal static long[] RoundTrip(long[] values)
    {
        var encoded = Int64Codec.Encode(values);
        var decoded = new long[values.Length];
        Int64Codec.Decode(encoded, decoded);
        return decoded;
    }

    [Property(MaxTest = 500)]
    public void Encode_ArbitraryLongs_RoundTrips(long[] values) => Assert.Equal(values, RoundTrip(values));

    [Property(MaxTest = 500)]
    public void Encode_ExtremesRunsAndSmallRanges_RoundTrips(int seed)
    {
        var random = new Random(seed);
        var values = new long[random.Next(1, 1100)];
        var shape = random.Next(5);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = shape switch
            {
                0 => Extremes[random.Next(Extremes.Length)],
                1 => i > 0 && random.Next(8) != 0 ? values[i - 1] : random.NextInt64(long.MinValue, long.MaxValue),
                2 => random.Next(-3, 3) * 1_000L,
                3 => random.Next(10) == 0 ? Extremes[random.Next(Extremes.Length)] : random.Next(100),
                _ => random.NextInt64(long.MinValue, long.MaxValue),
            };
        }

        Assert.Equal(values, RoundTrip(values));
    }

    [Property(MaxTest = 500)]
    public void Encode_IrregularDuplicateAndOutOfOrderTimestamps_RoundTrips(int seed)
    {
        var random = new Random(seed);
        var values = new long[random.Next(1, 1100)];
        var ticks = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var unit = random.Next(3) switch { 0 => 1L, 1 => 10L, _ => TimeSpan.TicksPerMillisecond };
        for (var i = 0; i < values.Length; i++)
        {
            ticks += random.Next(6) switch
            {
                0 => 0,
                1 => -random.Next(1, 100_000) * unit,
                2 => 1_000 * unit,
                _ => random.Next(1, 50_000_000) * unit,
            };
            values[i] = ticks;
        }

        Assert.Equal(values, RoundTrip(values));
    }

    [Fact]
    public void Encode_RegularTimestamps_UsesADeltaFormAndFewBytes()
    {
        var values = new long[1024];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = 638_000_000_000_000_000 + (i * TimeSpan.TicksPerSecond);
        }

        var encoded = Int64Codec.Encode(values);

        Assert.Contains(Int64Codec.Name(encoded), new[] { "delta", "delta-of-delta" });
        Assert.True(encoded.Length < 64, encoded.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(values, RoundTrip(values));
    }

    [Fact]
    public void Encode_ConstantColumn_UsesNineBytes()
    {
        var values = Enumerable.Repeat(long.MinValue, 1024).ToArray();

        var encoded = Int64Codec.Encode(values);

        Assert.Equal("constant", Int64Codec.Name(encoded));
        Assert.Equal(9, encoded.Length);
        Assert.Equal(values, RoundTrip(values));
    }

    [Fact]
    public void Encode_LongRuns_UsesRunLength()
    {
        var values = new long[1024];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i / 100) % 2 == 0 ? long.MaxValue : long.MinValue;
        }

        var encoded = Int64Codec.Encode(values);

        Assert.Equal("run-length", Int64Codec.Name(encoded));
        Assert.Equal(values, RoundTrip(values));
    }

    [Fact]
    public void Encode_SmallIntegers_PacksToTheirWidth()
    {
        var random = new Random(7);
        var values = new long[1024];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = 50 + random.Next(4000);
        }

        var encoded = Int64Codec.Encode(values);

        Assert.Equal("frame-of-reference", Int64Codec.Name(encoded));
        Assert.Equal(1 + 17 + (1024 * 12 / 8), encoded.Length);
        Assert.Equal(values, RoundTrip(values));
    }
}
