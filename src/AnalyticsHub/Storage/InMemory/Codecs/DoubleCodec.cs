using System.Buffers;
using System.Runtime.InteropServices;

namespace AnalyticsHub.Storage.InMemory.Codecs;

/// <summary>
/// Lossless codecs for a column of doubles. Values that producers rounded to a decimal precision (latency to 0.1 ms,
/// cost to 1e-6) are stored as decimal-scaled integers: the smallest exponent e in 0..12 for which every value v
/// satisfies <c>(double)(long)Math.Round(v * 10^e) / 10^e == v</c> bit for bit; the integers then go through
/// <see cref="Int64Codec"/>. Anything else (real doubles, -0.0, huge or subnormal values) keeps its raw bits, also
/// through <see cref="Int64Codec"/> so constant and repeated columns still shrink.
/// </summary>
internal static class DoubleCodec
{
    private const byte Scaled = 1;
    private const byte RawBits = 2;
    private const int MaxExponent = 12;
    private const double MaxScaled = 9.0e15;

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

    /// <summary>Encodes the values given as raw double bits.</summary>
    public static byte[] Encode(ReadOnlySpan<long> bits)
    {
        var values = MemoryMarshal.Cast<long, double>(bits);
        var scratch = ArrayPool<long>.Shared.Rent(Math.Max(1, bits.Length));
        try
        {
            var scaled = scratch.AsSpan(0, bits.Length);
            var exponent = FindExponent(values, scaled);
            var inner = exponent >= 0 ? Int64Codec.Encode(scaled) : Int64Codec.Encode(bits);
            var output = new byte[inner.Length + 2];
            output[0] = exponent >= 0 ? Scaled : RawBits;
            output[1] = (byte)Math.Max(0, exponent);
            inner.CopyTo(output, 2);
            return output;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(scratch);
        }
    }

    /// <summary>Decodes raw double bits into <paramref name="destination"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> source, Span<long> destination)
    {
        Int64Codec.Decode(source[2..], destination);
        if (source[0] == Scaled)
        {
            var scale = PowersOfTen[source[1]];
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = BitConverter.DoubleToInt64Bits(destination[i] / scale);
            }
        }
    }

    /// <summary>The name of the codec that encoded <paramref name="encoded"/>.</summary>
    public static string Name(ReadOnlySpan<byte> encoded) =>
        (encoded[0] == Scaled ? "decimal-scaled " : "raw-bits ") + Int64Codec.Name(encoded[2..]);

    /// <summary>The smallest decimal exponent that represents every value exactly, or -1.</summary>
    internal static int FindExponent(ReadOnlySpan<double> values, Span<long> scaled)
    {
        for (var e = 0; e <= MaxExponent; e++)
        {
            if (TryScale(values, PowersOfTen[e], scaled))
            {
                return e;
            }
        }

        return -1;
    }

    private static bool TryScale(ReadOnlySpan<double> values, double scale, Span<long> scaled)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var m = Math.Round(v * scale);
            if (!(Math.Abs(m) <= MaxScaled))
            {
                return false;
            }

            var n = (long)m;
            if (BitConverter.DoubleToInt64Bits(n / scale) != BitConverter.DoubleToInt64Bits(v))
            {
                return false;
            }

            scaled[i] = n;
        }

        return true;
    }
}
