using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace AnalyticsHub.Statistics;

public sealed partial class QuantileSketch
{
    /// <summary>The version written in both serialized forms; readers refuse other versions.</summary>
    public const int FormatVersion = 1;

    private const byte FlagHasValues = 1;
    private const byte FlagPositiveCollapsed = 2;
    private const byte FlagNegativeCollapsed = 4;

    /// <summary>Serializes the sketch in its compact binary form (varint and delta encoded buckets).</summary>
    /// <returns>The bytes; <see cref="FromBinary"/> reads them back to an identical sketch.</returns>
    /// <remarks>
    /// Layout: version byte; varint bucket limit; flags byte (1 = has values, 2 = positive store
    /// collapsed, 4 = negative collapsed); varint zero count; when it has values, min and max as
    /// little-endian IEEE-754 doubles; then the positive and the negative store, each a varint
    /// number of non-empty buckets, the first index (zigzag varint) and count, then for each
    /// further bucket the index gap minus one and the count (varints).
    /// </remarks>
    public byte[] ToBinary()
    {
        // One pass finds each store's occupied range and non-empty buckets (vectorized); the bytes go to a stack or
        // pooled buffer and are copied once into the result.
        var positive = _positive.Occupied(out var positiveCount);
        var negative = _negative.Occupied(out var negativeCount);
        var size = 48 + (15 * (positiveCount + negativeCount));
        byte[]? rented = null;
        Span<byte> span = size <= 1024 ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            return Write(span, positive, positiveCount, negative, negativeCount).ToArray();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private Span<byte> Write(Span<byte> span, (int First, int Last) positive, int positiveCount, (int First, int Last) negative, int negativeCount)
    {
        var position = 0;
        span[position++] = FormatVersion;
        WriteVarint(span, ref position, (ulong)_maxBucketsPerSign);
        var flags = (byte)((_count != 0 ? FlagHasValues : 0)
            | (_positive.Collapsed ? FlagPositiveCollapsed : 0)
            | (_negative.Collapsed ? FlagNegativeCollapsed : 0));
        span[position++] = flags;
        WriteVarint(span, ref position, _zeroCount);
        if (_count != 0)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[position..], _min);
            BinaryPrimitives.WriteDoubleLittleEndian(span[(position + 8)..], _max);
            position += 16;
        }

        WriteStore(span, ref position, in _positive, positive, positiveCount);
        WriteStore(span, ref position, in _negative, negative, negativeCount);
        return span[..position];
    }

    /// <summary>
    /// Merges a sketch from its binary form without building it: the buckets are added straight into this sketch's
    /// stores, so compactly kept sketches (rollup buckets) merge without an allocation.
    /// </summary>
    /// <param name="data">Bytes written by <see cref="ToBinary"/> from a sketch with this sketch's bucket limit.</param>
    /// <exception cref="FormatException">The bytes are truncated or malformed.</exception>
    internal void MergeBinary(ReadOnlySpan<byte> data)
    {
        var position = 0;
        if (data.IsEmpty || data[position++] != FormatVersion)
        {
            throw Malformed("binary sketch is empty or of another version");
        }

        var limit = ReadVarint(data, ref position, "max_buckets_per_sign");
        var flags = position < data.Length ? data[position++] : throw Malformed("truncated before the flags byte");
        if (limit != (ulong)_maxBucketsPerSign || (flags & (FlagPositiveCollapsed | FlagNegativeCollapsed)) != 0)
        {
            // Collapsed stores and other limits take the general path, which keeps their semantics.
            Merge(ReadBinaryCore(data));
            return;
        }

        var zeroCount = ReadVarint(data, ref position, "zero_count");
        if ((flags & FlagHasValues) == 0)
        {
            return;
        }

        if (data.Length - position < 16)
        {
            throw Malformed($"truncated at byte {position}: expected min and max");
        }

        var min = BinaryPrimitives.ReadDoubleLittleEndian(data[position..]);
        var max = BinaryPrimitives.ReadDoubleLittleEndian(data[(position + 8)..]);
        position += 16;
        var added = zeroCount + AddStoreBinary(data, ref position, ref _positive) + AddStoreBinary(data, ref position, ref _negative);
        _zeroCount += zeroCount;
        _count += added;
        _min = Math.Min(_min, min);
        _max = Math.Max(_max, max);
    }

    private ulong AddStoreBinary(ReadOnlySpan<byte> data, ref int position, ref BucketStore store)
    {
        var buckets = ReadVarint(data, ref position, "bucket count");
        if (buckets == 0)
        {
            return 0;
        }

        var zigzag = ReadVarint(data, ref position, "first index");
        var index = (int)((long)(zigzag >> 1) ^ -(long)(zigzag & 1));
        var count = ReadVarint(data, ref position, "count");
        store.Add(index, count, _maxBucketsPerSign);
        var total = count;
        for (var k = 1UL; k < buckets; k++)
        {
            index += 1 + (int)ReadVarint(data, ref position, "index gap");
            count = ReadVarint(data, ref position, "count");
            store.Add(index, count, _maxBucketsPerSign);
            total += count;
        }

        return total;
    }

    /// <summary>Reads a sketch from its binary form.</summary>
    /// <param name="data">Bytes written by <see cref="ToBinary"/>.</param>
    /// <returns>The sketch.</returns>
    /// <exception cref="FormatException">The bytes are truncated, malformed or inconsistent; the message says where and why.</exception>
    public static QuantileSketch FromBinary(ReadOnlySpan<byte> data) => ReadBinaryCore(data);

    /// <summary>Tries to read a sketch from its binary form.</summary>
    /// <param name="data">Bytes written by <see cref="ToBinary"/>.</param>
    /// <param name="sketch">The sketch when the bytes are valid.</param>
    /// <param name="error">What is wrong with the bytes when they are not.</param>
    /// <returns><see langword="true"/> when the bytes held a valid sketch.</returns>
    public static bool TryFromBinary(ReadOnlySpan<byte> data, [NotNullWhen(true)] out QuantileSketch? sketch, [NotNullWhen(false)] out string? error)
    {
        try
        {
            sketch = ReadBinaryCore(data);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            sketch = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Writes the sketch as a JSON object.</summary>
    /// <param name="writer">The writer to write to.</param>
    /// <remarks>
    /// Shape: <c>{"version":1,"max_buckets_per_sign":4096,"count":n,"zero_count":z,"min":..,"max":..,
    /// "positive":{"collapsed":false,"offset":i,"counts":[..]},"negative":{..}}</c>; min and max are
    /// left out when empty; <c>counts[k]</c> counts bucket <c>offset + k</c>, as in an OpenTelemetry
    /// exponential histogram at scale 6.
    /// </remarks>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("version"u8, FormatVersion);
        writer.WriteNumber("max_buckets_per_sign"u8, _maxBucketsPerSign);
        writer.WriteNumber("count"u8, _count);
        writer.WriteNumber("zero_count"u8, _zeroCount);
        if (_count != 0)
        {
            writer.WriteNumber("min"u8, _min);
            writer.WriteNumber("max"u8, _max);
        }

        writer.WritePropertyName("positive"u8);
        WriteStoreJson(writer, in _positive);
        writer.WritePropertyName("negative"u8);
        WriteStoreJson(writer, in _negative);
        writer.WriteEndObject();
    }

    /// <summary>Serializes the sketch as UTF-8 JSON.</summary>
    /// <returns>The JSON bytes; <see cref="FromJson"/> reads them back to an identical sketch.</returns>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a sketch from its JSON form.</summary>
    /// <param name="utf8Json">UTF-8 JSON written by <see cref="ToJson"/> or <see cref="WriteJson"/>.</param>
    /// <returns>The sketch.</returns>
    /// <exception cref="FormatException">The JSON is malformed, misses a member or is inconsistent; the message says where and why.</exception>
    /// <remarks>Unknown members are ignored; duplicate members are an error.</remarks>
    public static QuantileSketch FromJson(ReadOnlySpan<byte> utf8Json) => ReadJsonCore(utf8Json);

    /// <summary>Tries to read a sketch from its JSON form.</summary>
    /// <param name="utf8Json">UTF-8 JSON written by <see cref="ToJson"/> or <see cref="WriteJson"/>.</param>
    /// <param name="sketch">The sketch when the JSON is valid.</param>
    /// <param name="error">What is wrong with the JSON when it is not.</param>
    /// <returns><see langword="true"/> when the JSON held a valid sketch.</returns>
    public static bool TryFromJson(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out QuantileSketch? sketch, [NotNullWhen(false)] out string? error)
    {
        try
        {
            sketch = ReadJsonCore(utf8Json);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            sketch = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Compares the full content (limit, counts, extremes, collapse state) of two sketches, ignoring capacity.</summary>
    internal bool ContentEquals(QuantileSketch other) =>
        _maxBucketsPerSign == other._maxBucketsPerSign
        && _count == other._count
        && _zeroCount == other._zeroCount
        && (_count == 0 || (_min.Equals(other._min) && _max.Equals(other._max)))
        && _positive.ContentEquals(in other._positive)
        && _negative.ContentEquals(in other._negative);

    private static void WriteStore(Span<byte> span, ref int position, in BucketStore store, (int First, int Last) occupied, int nonZero)
    {
        WriteVarint(span, ref position, (ulong)nonZero);
        var previous = 0;
        var first = true;
        for (var p = occupied.First; p <= occupied.Last; p++)
        {
            var count = store.CountAt(p);
            if (count == 0)
            {
                continue;
            }

            var index = store.Offset + p;
            if (first)
            {
                WriteVarint(span, ref position, (ulong)((index << 1) ^ (index >> 31)) & 0xFFFF_FFFF);
                first = false;
            }
            else
            {
                WriteVarint(span, ref position, (ulong)(index - previous - 1));
            }

            WriteVarint(span, ref position, count);
            previous = index;
        }
    }

    private static void WriteStoreJson(Utf8JsonWriter writer, in BucketStore store)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("collapsed"u8, store.Collapsed);
        var low = store.Total == 0 ? 0 : store.LowestIndex();
        var high = store.Total == 0 ? -1 : store.HighestIndex();
        writer.WriteNumber("offset"u8, low);
        writer.WriteStartArray("counts"u8);
        for (var index = low; index <= high; index++)
        {
            writer.WriteNumberValue(store.CountAt(index - store.Offset));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteVarint(Span<byte> span, ref int position, ulong value)
    {
        while (value >= 0x80)
        {
            span[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[position++] = (byte)value;
    }

    private static QuantileSketch ReadBinaryCore(ReadOnlySpan<byte> data)
    {
        var position = 0;
        if (data.IsEmpty)
        {
            throw Malformed("binary sketch is empty");
        }

        var version = data[position++];
        if (version != FormatVersion)
        {
            throw Malformed($"unsupported binary sketch version {version} (supported: {FormatVersion})");
        }

        var limit = ReadVarint(data, ref position, "max_buckets_per_sign");
        if (limit is < 1 or > MaxAllowedBucketsPerSign)
        {
            throw Malformed($"max_buckets_per_sign {limit} is outside 1..{MaxAllowedBucketsPerSign}");
        }

        if (position >= data.Length)
        {
            throw Malformed($"truncated at byte {position}: expected the flags byte");
        }

        var flagsAt = position;
        var flags = data[position++];
        if ((flags & ~(FlagHasValues | FlagPositiveCollapsed | FlagNegativeCollapsed)) != 0)
        {
            throw Malformed($"unknown flags 0x{flags:X2} at byte {flagsAt}");
        }

        var zeroCount = ReadVarint(data, ref position, "zero_count");
        double? min = null;
        double? max = null;
        if ((flags & FlagHasValues) != 0)
        {
            if (data.Length - position < 16)
            {
                throw Malformed($"truncated at byte {position}: expected min and max");
            }

            min = BinaryPrimitives.ReadDoubleLittleEndian(data[position..]);
            max = BinaryPrimitives.ReadDoubleLittleEndian(data[(position + 8)..]);
            position += 16;
        }

        var positive = ReadStoreBinary(data, ref position, (int)limit, (flags & FlagPositiveCollapsed) != 0, "positive");
        var negative = ReadStoreBinary(data, ref position, (int)limit, (flags & FlagNegativeCollapsed) != 0, "negative");
        if (position != data.Length)
        {
            throw Malformed($"{data.Length - position} unexpected trailing bytes at byte {position}");
        }

        return Build((int)limit, zeroCount, min, max, positive, negative, declaredCount: null);
    }

    private static DecodedStore ReadStoreBinary(ReadOnlySpan<byte> data, ref int position, int limit, bool collapsed, string name)
    {
        var buckets = ReadVarint(data, ref position, name + " bucket count");
        if (buckets > (ulong)limit)
        {
            throw Malformed($"{name} store has {buckets} buckets, more than the limit {limit}");
        }

        if (buckets == 0)
        {
            return new DecodedStore(0, [], collapsed);
        }

        var zigzag = ReadVarint(data, ref position, name + " first index");
        if (zigzag > uint.MaxValue)
        {
            throw Malformed($"{name} first index is out of range");
        }

        var first = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
        CheckIndex(first, name);
        var indices = new int[(int)buckets];
        var counts = new ulong[(int)buckets];
        indices[0] = (int)first;
        counts[0] = ReadVarint(data, ref position, name + " count");
        for (var k = 1; k < indices.Length; k++)
        {
            var gap = ReadVarint(data, ref position, name + " index gap");
            var index = indices[k - 1] + 1 + (long)Math.Min(gap, (ulong)MaxAllowedBucketsPerSign * 4);
            CheckIndex(index, name);
            indices[k] = (int)index;
            counts[k] = ReadVarint(data, ref position, name + " count");
        }

        var low = indices[0];
        var span = (long)indices[^1] - low + 1;
        if (span > limit)
        {
            throw Malformed($"{name} store spans {span} buckets, more than the limit {limit}");
        }

        var dense = new ulong[span];
        for (var k = 0; k < indices.Length; k++)
        {
            if (counts[k] == 0)
            {
                throw Malformed($"{name} bucket {indices[k]} has a zero count");
            }

            dense[indices[k] - low] = counts[k];
        }

        return new DecodedStore(low, dense, collapsed);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position, string what)
    {
        var start = position;
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw Malformed($"truncated at byte {position}: expected {what}");
            }

            var b = data[position++];
            if (shift == 63 && b > 1)
            {
                throw Malformed($"varint for {what} at byte {start} overflows 64 bits");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Malformed($"varint for {what} at byte {start} is longer than 10 bytes");
    }

    private static void CheckIndex(long index, string name)
    {
        if (index is < MinBucketIndex or > MaxBucketIndex)
        {
            throw Malformed($"{name} bucket index {index} is outside {MinBucketIndex}..{MaxBucketIndex}");
        }
    }

    private static QuantileSketch ReadJsonCore(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw JsonMalformed(ref reader, "expected a JSON object");
            }

            long? version = null;
            long? limit = null;
            ulong? count = null;
            ulong? zeroCount = null;
            double? min = null;
            double? max = null;
            DecodedStore? positive = null;
            DecodedStore? negative = null;
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = MemberOf(ref reader, SketchMembers);
                if (member >= 0 && (seen & (1 << member)) != 0)
                {
                    throw JsonMalformed(ref reader, $"duplicate member \"{SketchMemberNames[member]}\"");
                }

                seen |= member >= 0 ? 1 << member : 0;
                reader.Read();
                switch (member)
                {
                    case 0: version = ReadInt64(ref reader, "version"); break;
                    case 1: limit = ReadInt64(ref reader, "max_buckets_per_sign"); break;
                    case 2: count = ReadUInt64(ref reader, "count"); break;
                    case 3: zeroCount = ReadUInt64(ref reader, "zero_count"); break;
                    case 4: min = ReadDouble(ref reader, "min"); break;
                    case 5: max = ReadDouble(ref reader, "max"); break;
                    case 6: positive = ReadStoreJson(ref reader, "positive"); break;
                    case 7: negative = ReadStoreJson(ref reader, "negative"); break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw JsonMalformed(ref reader, "expected a member name or the end of the object");
            }

            if (reader.Read())
            {
                throw JsonMalformed(ref reader, "unexpected content after the sketch object");
            }

            if (version != FormatVersion)
            {
                throw Malformed(version is null
                    ? "missing member \"version\""
                    : $"unsupported sketch version {version} (supported: {FormatVersion})");
            }

            if (limit is null || limit < 1 || limit > MaxAllowedBucketsPerSign)
            {
                throw Malformed(limit is null
                    ? "missing member \"max_buckets_per_sign\""
                    : $"max_buckets_per_sign {limit} is outside 1..{MaxAllowedBucketsPerSign}");
            }

            var required = zeroCount is null ? "zero_count" : count is null ? "count" : positive is null ? "positive" : negative is null ? "negative" : null;
            if (required is not null)
            {
                throw Malformed($"missing member \"{required}\"");
            }

            return Build((int)limit, zeroCount!.Value, min, max, positive!.Value, negative!.Value, count);
        }
        catch (JsonException e)
        {
            throw Malformed($"invalid JSON: {e.Message}");
        }
    }

    private static DecodedStore ReadStoreJson(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw JsonMalformed(ref reader, $"\"{name}\" must be an object");
        }

        bool? collapsed = null;
        long? offset = null;
        ulong[]? counts = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = MemberOf(ref reader, StoreMembers);
            if (member >= 0 && (seen & (1 << member)) != 0)
            {
                throw JsonMalformed(ref reader, $"duplicate member \"{name}.{StoreMemberNames[member]}\"");
            }

            seen |= member >= 0 ? 1 << member : 0;
            reader.Read();
            switch (member)
            {
                case 0:
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                    {
                        throw JsonMalformed(ref reader, $"\"{name}.collapsed\" must be true or false");
                    }

                    collapsed = reader.GetBoolean();
                    break;
                case 1: offset = ReadInt64(ref reader, name + ".offset"); break;
                case 2: counts = ReadCounts(ref reader, name + ".counts"); break;
                default: reader.Skip(); break;
            }
        }

        if (collapsed is null || offset is null || counts is null)
        {
            throw Malformed($"\"{name}\" needs \"collapsed\", \"offset\" and \"counts\"");
        }

        if (counts.Length > 0)
        {
            CheckIndex(offset.Value, name);
            CheckIndex(offset.Value + counts.Length - 1, name);
            if (counts[0] == 0 || counts[^1] == 0)
            {
                throw Malformed($"\"{name}.counts\" must start and end with a non-zero count");
            }
        }

        return new DecodedStore(counts.Length == 0 ? 0 : (int)offset.Value, counts, collapsed.Value);
    }

    private static ulong[] ReadCounts(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw JsonMalformed(ref reader, $"\"{name}\" must be an array");
        }

        var counts = new List<ulong>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (counts.Count >= MaxAllowedBucketsPerSign)
            {
                throw JsonMalformed(ref reader, $"\"{name}\" has more than {MaxAllowedBucketsPerSign} buckets");
            }

            counts.Add(ReadUInt64(ref reader, name));
        }

        return [.. counts];
    }

    private static int MemberOf(ref Utf8JsonReader reader, byte[][] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static long ReadInt64(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)
            ? value
            : throw JsonMalformed(ref reader, $"\"{name}\" must be an integer");

    private static ulong ReadUInt64(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var value)
            ? value
            : throw JsonMalformed(ref reader, $"\"{name}\" must be a non-negative integer");

    private static double ReadDouble(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw JsonMalformed(ref reader, $"\"{name}\" must be a finite number");

    private static FormatException JsonMalformed(ref Utf8JsonReader reader, string message) =>
        Malformed($"{message} (byte {reader.TokenStartIndex.ToString(CultureInfo.InvariantCulture)})");

    private static FormatException Malformed(string message) => new("Malformed quantile sketch: " + message + ".");

    /// <summary>Checks decoded content against every invariant a sketch keeps, then builds it.</summary>
    private static QuantileSketch Build(int limit, ulong zeroCount, double? min, double? max, DecodedStore positive, DecodedStore negative, ulong? declaredCount)
    {
        var positiveTotal = CheckStore(in positive, limit, "positive");
        var negativeTotal = CheckStore(in negative, limit, "negative");
        ulong total;
        try
        {
            total = checked(zeroCount + positiveTotal + negativeTotal);
        }
        catch (OverflowException)
        {
            throw Malformed("the total count overflows 64 bits");
        }

        if (declaredCount is not null && declaredCount != total)
        {
            throw Malformed($"count {declaredCount} differs from the sum of the buckets {total}");
        }

        if (total == 0)
        {
            if (min is not null || max is not null)
            {
                throw Malformed("an empty sketch has no min or max");
            }

            return new QuantileSketch(limit);
        }

        if (min is not double low || max is not double high || !double.IsFinite(low) || !double.IsFinite(high) || low > high)
        {
            throw Malformed("a non-empty sketch needs finite min <= max");
        }

        // The exact extremes must lie in the extreme buckets.
        var minOk = negativeTotal != 0
            ? low < 0 && MapToIndex(-low) == negative.Offset + negative.Counts.Length - 1
            : zeroCount != 0
                ? low == 0
                : low > 0 && (positive.Collapsed ? MapToIndex(low) <= positive.Offset : MapToIndex(low) == positive.Offset);
        var maxOk = positiveTotal != 0
            ? high > 0 && MapToIndex(high) == positive.Offset + positive.Counts.Length - 1
            : zeroCount != 0
                ? high == 0
                : high < 0 && (negative.Collapsed ? MapToIndex(-high) <= negative.Offset : MapToIndex(-high) == negative.Offset);
        if (!minOk || !maxOk)
        {
            throw Malformed($"min {low.ToString("R", CultureInfo.InvariantCulture)} or max {high.ToString("R", CultureInfo.InvariantCulture)} does not fall in the extreme buckets");
        }

        var sketch = new QuantileSketch(limit) { _zeroCount = zeroCount, _count = total, _min = low, _max = high };
        sketch._positive.Load(positive.Offset, positive.Counts, positiveTotal, positive.Collapsed);
        sketch._negative.Load(negative.Offset, negative.Counts, negativeTotal, negative.Collapsed);
        return sketch;
    }

    private static ulong CheckStore(in DecodedStore store, int limit, string name)
    {
        if (store.Counts.Length > limit)
        {
            throw Malformed($"{name} store spans {store.Counts.Length} buckets, more than the limit {limit}");
        }

        if (store.Collapsed && store.Counts.Length != limit)
        {
            // A collapsed store always spans exactly the limit: its lowest bucket is the floor.
            throw Malformed($"{name} store is marked collapsed but spans {store.Counts.Length} buckets, not the limit {limit}");
        }

        var total = 0UL;
        foreach (var count in store.Counts)
        {
            if (total + count < total)
            {
                throw Malformed($"{name} counts overflow 64 bits");
            }

            total += count;
        }

        return total;
    }

    private static readonly string[] SketchMemberNames = ["version", "max_buckets_per_sign", "count", "zero_count", "min", "max", "positive", "negative"];

    private static readonly byte[][] SketchMembers = ToUtf8(SketchMemberNames);

    private static readonly string[] StoreMemberNames = ["collapsed", "offset", "counts"];

    private static readonly byte[][] StoreMembers = ToUtf8(StoreMemberNames);

    private static byte[][] ToUtf8(string[] names)
    {
        var bytes = new byte[names.Length][];
        for (var i = 0; i < names.Length; i++)
        {
            bytes[i] = System.Text.Encoding.UTF8.GetBytes(names[i]);
        }

        return bytes;
    }

    private readonly record struct DecodedStore(int Offset, ulong[] Counts, bool Collapsed);
}
