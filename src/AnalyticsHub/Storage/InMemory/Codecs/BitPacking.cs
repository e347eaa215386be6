using System.Buffers.Binary;

namespace AnalyticsHub.Storage.InMemory.Codecs;

/// <summary>Packs unsigned values of a fixed bit width (0 to 64) least significant bit first, and unpacks them.</summary>
internal static class BitPacking
{
    /// <summary>The bytes that <paramref name="count"/> values of <paramref name="width"/> bits take.</summary>
    public static int PackedLength(int count, int width) => (int)(((long)count * width + 7) >> 3);

    /// <summary>The bits needed for <paramref name="value"/> (0 for 0).</summary>
    public static int Width(ulong value) => 64 - System.Numerics.BitOperations.LeadingZeroCount(value);

    /// <summary>Writes <c>(values[i] - reference) / divisor</c> at <paramref name="width"/> bits each; returns the bytes written.</summary>
    public static int Pack(ReadOnlySpan<long> values, long reference, ulong divisor, int width, Span<byte> destination)
    {
        var length = PackedLength(values.Length, width);
        if (width == 0)
        {
            return 0;
        }

        ulong acc = 0;
        var accBits = 0;
        var position = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = unchecked((ulong)(values[i] - reference));
            if (divisor > 1)
            {
                v /= divisor;
            }

            if (accBits + width <= 64)
            {
                acc |= v << accBits;
                accBits += width;
                if (accBits == 64)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(destination[position..], acc);
                    position += 8;
                    acc = 0;
                    accBits = 0;
                }
            }
            else
            {
                var low = 64 - accBits;
                acc |= v << accBits;
                BinaryPrimitives.WriteUInt64LittleEndian(destination[position..], acc);
                position += 8;
                acc = v >> low;
                accBits = width - low;
            }
        }

        while (accBits > 0)
        {
            destination[position++] = (byte)acc;
            acc >>= 8;
            accBits -= 8;
        }

        return length;
    }

    /// <summary>Reads <paramref name="destination"/>.Length values written by <see cref="Pack"/>, restoring <c>reference + v * divisor</c>.</summary>
    public static void Unpack(ReadOnlySpan<byte> source, long reference, ulong divisor, int width, Span<long> destination)
    {
        if (width == 0)
        {
            destination.Fill(reference);
            return;
        }

        var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        ulong acc = 0;
        var accBits = 0;
        var position = 0;
        for (var i = 0; i < destination.Length; i++)
        {
            ulong v;
            if (accBits >= width)
            {
                v = acc & mask;
                acc = width == 64 ? 0 : acc >> width;
                accBits -= width;
            }
            else
            {
                ulong next;
                int loaded;
                if (source.Length - position >= 8)
                {
                    next = BinaryPrimitives.ReadUInt64LittleEndian(source[position..]);
                    loaded = 64;
                    position += 8;
                }
                else
                {
                    next = 0;
                    loaded = 0;
                    while (position < source.Length)
                    {
                        next |= (ulong)source[position++] << loaded;
                        loaded += 8;
                    }
                }

                v = (acc | (next << accBits)) & mask;
                var used = width - accBits;
                acc = used == 64 ? 0 : next >> used;
                accBits = loaded - used;
            }

            destination[i] = unchecked(reference + (long)(v * divisor));
        }
    }
}
