using System.Buffers;
using System.Buffers.Binary;

namespace AnalyticsHub.Storage.InMemory.Codecs;

/// <summary>
/// Lossless codecs for a column of 64-bit integers, chosen per chunk by measuring every candidate (smallest wins):
/// constant, run-length, frame of reference, delta and delta-of-delta (the last two frame-of-reference packed too).
/// Frame of reference stores the minimum, the greatest common divisor of the offsets from it (so timestamps in whole
/// microseconds or milliseconds cost no bits for the unused ticks) and a bit width. Arithmetic wraps, so every
/// <see cref="long"/> round-trips, the extremes included. The count is not stored: the caller knows it.
/// </summary>
internal static class Int64Codec
{
    private const int ForHeader = 8 + 8 + 1;

    /// <summary>Encodes the values with the smallest candidate codec.</summary>
    public static byte[] Encode(ReadOnlySpan<long> values)
    {
        if (values.Length == 0)
        {
            return [(byte)CodecKind.Constant, 0, 0, 0, 0, 0, 0, 0, 0];
        }

        var first = values[0];
        var constant = true;
        var runs = 1;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] != values[i - 1])
            {
                constant = false;
                runs++;
            }
        }

        if (constant)
        {
            var result = new byte[9];
            result[0] = (byte)CodecKind.Constant;
            BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(1), first);
            return result;
        }

        var scratch = ArrayPool<long>.Shared.Rent(values.Length * 2);
        try
        {
            var deltas = scratch.AsSpan(0, values.Length - 1);
            var deltaDeltas = scratch.AsSpan(values.Length, Math.Max(0, values.Length - 2));
            for (var i = 1; i < values.Length; i++)
            {
                deltas[i - 1] = unchecked(values[i] - values[i - 1]);
            }

            for (var i = 1; i < deltas.Length; i++)
            {
                deltaDeltas[i - 1] = unchecked(deltas[i] - deltas[i - 1]);
            }

            var forSize = 1 + ForSize(values);
            var deltaSize = 1 + 8 + ForSize(deltas);
            var deltaDeltaSize = values.Length >= 2 ? 1 + 16 + ForSize(deltaDeltas) : int.MaxValue;
            var rleSize = runs * 3 < values.Length ? 1 + 4 + RleSize(values, runs) : int.MaxValue;
            var best = Math.Min(Math.Min(forSize, deltaSize), Math.Min(deltaDeltaSize, rleSize));
            var output = new byte[best];
            var span = output.AsSpan(1);
            if (best == forSize)
            {
                output[0] = (byte)CodecKind.FrameOfReference;
                WriteFor(values, span);
            }
            else if (best == deltaSize)
            {
                output[0] = (byte)CodecKind.Delta;
                BinaryPrimitives.WriteInt64LittleEndian(span, first);
                WriteFor(deltas, span[8..]);
            }
            else if (best == deltaDeltaSize)
            {
                output[0] = (byte)CodecKind.DeltaOfDelta;
                BinaryPrimitives.WriteInt64LittleEndian(span, first);
                BinaryPrimitives.WriteInt64LittleEndian(span[8..], deltas[0]);
                WriteFor(deltaDeltas, span[16..]);
            }
            else
            {
                output[0] = (byte)CodecKind.RunLength;
                WriteRle(values, runs, span, scratch.AsSpan(0, values.Length * 2));
            }

            return output;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(scratch);
        }
    }

    /// <summary>Decodes <paramref name="destination"/>.Length values.</summary>
    public static void Decode(ReadOnlySpan<byte> source, Span<long> destination)
    {
        var kind = (CodecKind)source[0];
        var body = source[1..];
        switch (kind)
        {
            case CodecKind.Constant:
                destination.Fill(BinaryPrimitives.ReadInt64LittleEndian(body));
                break;
            case CodecKind.FrameOfReference:
                ReadFor(body, destination);
                break;
            case CodecKind.Delta:
                if (destination.Length > 0)
                {
                    var value = BinaryPrimitives.ReadInt64LittleEndian(body);
                    destination[0] = value;
                    ReadFor(body[8..], destination[1..]);
                    for (var i = 1; i < destination.Length; i++)
                    {
                        value = unchecked(value + destination[i]);
                        destination[i] = value;
                    }
                }

                break;
            case CodecKind.DeltaOfDelta:
                {
                    var value = BinaryPrimitives.ReadInt64LittleEndian(body);
                    var delta = BinaryPrimitives.ReadInt64LittleEndian(body[8..]);
                    destination[0] = value;
                    value = unchecked(value + delta);
                    destination[1] = value;
                    ReadFor(body[16..], destination[2..]);
                    for (var i = 2; i < destination.Length; i++)
                    {
                        delta = unchecked(delta + destination[i]);
                        value = unchecked(value + delta);
                        destination[i] = value;
                    }

                    break;
                }

            case CodecKind.RunLength:
                ReadRle(body, destination);
                break;
            default:
                throw new InvalidDataException("Unknown integer codec " + (byte)kind + ".");
        }
    }

    /// <summary>The name of the codec that encoded <paramref name="encoded"/>.</summary>
    public static string Name(ReadOnlySpan<byte> encoded) => (CodecKind)encoded[0] switch
    {
        CodecKind.Constant => "constant",
        CodecKind.RunLength => "run-length",
        CodecKind.FrameOfReference => "frame-of-reference",
        CodecKind.Delta => "delta",
        CodecKind.DeltaOfDelta => "delta-of-delta",
        _ => "unknown",
    };

    private static int ForSize(ReadOnlySpan<long> values)
    {
        Analyse(values, out _, out _, out var width);
        return ForHeader + BitPacking.PackedLength(values.Length, width);
    }

    private static void Analyse(ReadOnlySpan<long> values, out long min, out ulong divisor, out int width)
    {
        if (values.Length == 0)
        {
            min = 0;
            divisor = 1;
            width = 0;
            return;
        }

        min = values[0];
        var max = values[0];
        for (var i = 1; i < values.Length; i++)
        {
            var v = values[i];
            if (v < min)
            {
                min = v;
            }
            else if (v > max)
            {
                max = v;
            }
        }

        ulong gcd = 0;
        for (var i = 0; i < values.Length && gcd != 1; i++)
        {
            gcd = Gcd(gcd, unchecked((ulong)(values[i] - min)));
        }

        divisor = gcd == 0 ? 1 : gcd;
        width = BitPacking.Width(unchecked((ulong)(max - min)) / divisor);
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private static int WriteFor(ReadOnlySpan<long> values, Span<byte> destination)
    {
        Analyse(values, out var min, out var divisor, out var width);
        BinaryPrimitives.WriteInt64LittleEndian(destination, min);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], divisor);
        destination[16] = (byte)width;
        return ForHeader + BitPacking.Pack(values, min, divisor, width, destination[ForHeader..]);
    }

    private static int ReadFor(ReadOnlySpan<byte> source, Span<long> destination)
    {
        var min = BinaryPrimitives.ReadInt64LittleEndian(source);
        var divisor = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        int width = source[16];
        var length = BitPacking.PackedLength(destination.Length, width);
        BitPacking.Unpack(source.Slice(ForHeader, length), min, divisor, width, destination);
        return ForHeader + length;
    }

    private static int RleSize(ReadOnlySpan<long> values, int runs)
    {
        // Measured on the run values alone plus one byte per length is a close upper bound; the exact size follows.
        var scratch = ArrayPool<long>.Shared.Rent(runs * 2);
        try
        {
            var runValues = scratch.AsSpan(0, runs);
            var lengths = scratch.AsSpan(runs, runs);
            Runs(values, runValues, lengths);
            return ForSize(runValues) + ForSize(lengths);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(scratch);
        }
    }

    private static void Runs(ReadOnlySpan<long> values, Span<long> runValues, Span<long> lengths)
    {
        var run = 0;
        runValues[0] = values[0];
        lengths[0] = 1;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] == values[i - 1])
            {
                lengths[run]++;
            }
            else
            {
                run++;
                runValues[run] = values[i];
                lengths[run] = 1;
            }
        }
    }

    private static void WriteRle(ReadOnlySpan<long> values, int runs, Span<byte> destination, Span<long> scratch)
    {
        var runValues = scratch[..runs];
        var lengths = scratch.Slice(runs, runs);
        Runs(values, runValues, lengths);
        BinaryPrimitives.WriteInt32LittleEndian(destination, runs);
        var written = WriteFor(runValues, destination[4..]);
        WriteFor(lengths, destination[(4 + written)..]);
    }

    private static void ReadRle(ReadOnlySpan<byte> source, Span<long> destination)
    {
        var runs = BinaryPrimitives.ReadInt32LittleEndian(source);
        var scratch = ArrayPool<long>.Shared.Rent(runs * 2);
        try
        {
            var runValues = scratch.AsSpan(0, runs);
            var lengths = scratch.AsSpan(runs, runs);
            var read = ReadFor(source[4..], runValues);
            ReadFor(source[(4 + read)..], lengths);
            var position = 0;
            for (var r = 0; r < runs; r++)
            {
                destination.Slice(position, (int)lengths[r]).Fill(runValues[r]);
                position += (int)lengths[r];
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(scratch);
        }
    }

    private enum CodecKind : byte
    {
        Constant = 1,
        RunLength = 2,
        FrameOfReference = 3,
        Delta = 4,
        DeltaOfDelta = 5,
    }
}
