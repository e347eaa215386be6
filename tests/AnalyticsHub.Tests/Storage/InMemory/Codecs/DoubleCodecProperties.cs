using System.Runtime.InteropServices;
using AnalyticsHub.Storage.InMemory.Codecs;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Storage.InMemory.Codecs;

/// <summary>The double codecs round-trip bit for bit, special values included (NaN is rejected at write by design).</summary>
public class DoubleCodecProperties
{
    private static readonly double[] Specials =
    [
        0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014E-308,
        2.225073858507201E-308, -1e-310, 1e-300, 1e300, -1e300, 4503599627370496.5, 9.007199254740993E15, 0.1, 0.3, 1.0 / 3,
        9.2e18, -9.2e18, 1e16, 123.4, 1e-12, 3e-13,
    ];

    private static double[] RoundTrip(double[] values)
    {
        var bits = MemoryMarshal.Cast<double, long>(values).ToArray();
        var encoded = DoubleCodec.Encode(bits);
        var decoded = new long[bits.Length];
        DoubleCodec.Decode(encoded, decoded);
        return MemoryMarshal.Cast<long, double>(decoded).ToArray();
    }

    private static void AssertBitsEqual(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(actual[i]));
        }
    }

    [Property(MaxTest = 500)]
    public void Encode_ArbitraryFiniteDoubles_RoundTripsBitForBit(double[] values)
    {
        var finite = Array.FindAll(values, double.IsFinite);
        AssertBitsEqual(finite, RoundTrip(finite));
    }

    [Property(MaxTest = 500)]
    public void Encode_SpecialsSubnormalsDecimalsAndRandomBits_RoundTripsBitForBit(int seed)
    {
        var random = new Random(seed);
        var values = new double[random.Next(1, 1100)];
        var shape = random.Next(5);
        var digits = random.Next(0, 13);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = shape switch
            {
                0 => Specials[random.Next(Specials.Length)],
                1 => Math.Round(random.NextDouble() * Math.Pow(10, random.Next(0, 8)), digits),
                2 => BitConverter.Int64BitsToDouble(random.NextInt64(0, 1L << 52)) * (random.Next(2) == 0 ? 1 : -1),
                3 => random.Next(20) == 0 ? Specials[random.Next(Specials.Length)] : Math.Round(random.NextDouble() * 1000, 1),
                _ => RandomFinite(random),
            };
        }

        AssertBitsEqual(values, RoundTrip(values));
    }

    [Fact]
    public void Encode_TenthsOfMilliseconds_UsesDecimalScaling()
    {
        var random = new Random(3);
        var values = new double[1024];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Round(random.NextDouble() * 4000 * 10) / 10;
        }

        var bits = MemoryMarshal.Cast<double, long>(values).ToArray();
        var encoded = DoubleCodec.Encode(bits);

        Assert.StartsWith("decimal-scaled", DoubleCodec.Name(encoded), StringComparison.Ordinal);
        Assert.True(encoded.Length <= 2 + 18 + (1024 * 16 / 8), encoded.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssertBitsEqual(values, RoundTrip(values));
    }

    [Fact]
    public void Encode_NegativeZero_FallsBackToRawBits()
    {
        double[] values = [1.5, -0.0, 2.5];

        var encoded = DoubleCodec.Encode(MemoryMarshal.Cast<double, long>(values).ToArray());

        Assert.StartsWith("raw-bits", DoubleCodec.Name(encoded), StringComparison.Ordinal);
        AssertBitsEqual(values, RoundTrip(values));
    }

    private static double RandomFinite(Random random)
    {
        while (true)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(value))
            {
                return value;
            }
        }
    }
}
