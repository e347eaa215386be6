using System.Buffers.Text;
using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// Reads JSON objects against <see cref="ObjectSchema"/> tables, reporting every problem with its
/// code, path and byte offset and carrying on where the JSON itself is intact.
/// </summary>
/// <remarks>
/// Each method starts with the reader on the first token of a value and leaves it on the last token
/// of that value, whether or not the value was acceptable.
/// </remarks>
internal static class SchemaReader
{
    private const int MaxEchoedLength = 64;

    /// <summary>Reads an object into a new frame of slots, then builds it; null when a problem was found.</summary>
    public static object? ReadObject(ref Utf8JsonReader reader, ObjectSchema schema, JsonReadContext context)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ReportWrongType(ref reader, "an object", context);
            return null;
        }

        var count = schema.Fields.Length;
        var frame = context.PushFrame(count);
        try
        {
            return ReadFields(ref reader, schema, context, frame)
                ? schema.Create(new ReadOnlySpan<FieldSlot>(context.Slots, frame, count))
                : null;
        }
        finally
        {
            context.PopFrame(frame, count);
        }
    }

    /// <summary>Reads the properties of the object the reader is on into the slots at <paramref name="frame"/>.</summary>
    /// <returns>Whether every field was acceptable and every required field present.</returns>
    public static bool ReadFields(ref Utf8JsonReader reader, ObjectSchema schema, JsonReadContext context, int frame)
    {
        var objectStart = reader.TokenStartIndex;
        var fields = schema.Fields;
        var seen = 0UL;
        HashSet<string>? unknownSeen = null;
        var ok = true;
        var expected = 0;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = reader.TokenStartIndex;
            var index = schema.Match(ref reader, expected);
            if (index < 0)
            {
                ok &= SkipUnknown(ref reader, ref unknownSeen, context);
                continue;
            }

            expected = index + 1;
            var field = fields[index];
            var bit = 1UL << index;
            reader.Read();
            if ((seen & bit) != 0)
            {
                ok = ReportDuplicate(ref reader, field.Name, nameStart, context);
                continue;
            }

            seen |= bit;
            context.PushPath(field.Name);
            var valueOk = ReadValue(ref reader, field, context, out var slot);
            context.PopPath();
            context.Slots[frame + index] = slot;
            ok &= valueOk;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if ((seen & (1UL << i)) == 0 && fields[i].IsRequired)
            {
                context.ErrorAtChild(fields[i].Name, ProblemCodes.MissingField, $"The required field '{fields[i].Name}' is missing.", objectStart);
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>
    /// Skips the value of an unknown key (unknown keys are ignored), reporting a repeated one as a
    /// duplicate. The reader is on the property name.
    /// </summary>
    public static bool SkipUnknown(ref Utf8JsonReader reader, ref HashSet<string>? seen, JsonReadContext context)
    {
        var nameStart = reader.TokenStartIndex;
        var ok = TryGetString(ref reader, context, out var name);
        if (ok && !(seen ??= new(StringComparer.Ordinal)).Add(name))
        {
            context.ErrorAtChild(name, ProblemCodes.DuplicateKey, $"The key '{Echo(name)}' appears more than once.", nameStart);
            ok = false;
        }

        reader.Read();
        reader.Skip();
        return ok;
    }

    /// <summary>Reports a repeated known key and skips its value; the reader is on the value.</summary>
    public static bool ReportDuplicate(ref Utf8JsonReader reader, string name, long nameStart, JsonReadContext context)
    {
        context.ErrorAtChild(name, ProblemCodes.DuplicateKey, $"The key '{name}' appears more than once.", nameStart);
        reader.Skip();
        return false;
    }

    /// <summary>Reads one field's value into <paramref name="slot"/>.</summary>
    public static bool ReadValue(ref Utf8JsonReader reader, FieldSpec field, JsonReadContext context, out FieldSlot slot)
    {
        slot = default;
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            switch (field.Kind)
            {
                case FieldKind.OptionalString or FieldKind.OptionalDouble or FieldKind.OptionalUInt32
                    or FieldKind.OptionalObject or FieldKind.OptionalUuid or FieldKind.VariantTag:
                    return true;
                case FieldKind.Json:
                    slot.Present = true;
                    slot.Object = JsonElement.ParseValue(ref reader);
                    return true;
                case FieldKind.Deferred:
                    slot = Deferred(ref reader);
                    return true;
                default:
                    // Present but null: the key was there, so no "missing" problem follows.
                    slot.Present = true;
                    context.Error(ProblemCodes.NullNotAllowed, $"'{field.Name}' may not be null.", reader.TokenStartIndex);
                    return false;
            }
        }

        slot.Present = true;
        switch (field.Kind)
        {
            case FieldKind.String or FieldKind.OptionalString or FieldKind.DefaultedString:
                if (token != JsonTokenType.String)
                {
                    return ReportWrongType(ref reader, "a string", context);
                }

                var ok = TryGetString(ref reader, context, out var text);
                slot.Object = text;
                slot.Bits = (ulong)reader.TokenStartIndex;
                return ok;

            case FieldKind.Double or FieldKind.OptionalDouble:
                return TryReadDouble(ref reader, context, out slot.Double);

            case FieldKind.UInt32 or FieldKind.OptionalUInt32:
                return TryReadUnsigned(ref reader, context, uint.MaxValue, "a 32-bit unsigned integer", out slot.Bits);

            case FieldKind.UInt64:
                return TryReadUnsigned(ref reader, context, ulong.MaxValue, "a 64-bit unsigned integer", out slot.Bits);

            case FieldKind.Boolean:
                if (token is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return ReportWrongType(ref reader, "true or false", context);
                }

                slot.Bits = token == JsonTokenType.True ? 1UL : 0UL;
                return true;

            case FieldKind.StringList:
                return TryReadStringList(ref reader, context, out slot.Object);

            case FieldKind.StringMap:
                return TryReadStringMap(ref reader, context, out slot.Object);

            case FieldKind.UInt64Map:
                return TryReadMap(ref reader, context, MapValue.UInt64, out slot.Object);

            case FieldKind.DoubleMap:
                return TryReadMap(ref reader, context, MapValue.Double, out slot.Object);

            case FieldKind.JsonMap:
                return TryReadMap(ref reader, context, MapValue.Json, out slot.Object);

            case FieldKind.Json:
                return TryReadJson(ref reader, context, out slot.Object);

            case FieldKind.Enum:
                return TryReadEnum(ref reader, field.EnumTable!, context, out slot.Bits);

            case FieldKind.OpenEnum:
                return TryReadOpenEnum(ref reader, field.EnumTable!, context, ref slot);

            case FieldKind.OptionalObject:
                slot.Object = ReadObject(ref reader, field.Nested!, context);
                return slot.Object is not null;

            case FieldKind.ObjectList:
                return TryReadObjectList(ref reader, field.Nested!, context, out slot.Object);

            case FieldKind.Timestamp:
                return TryReadTimestamp(ref reader, context, out slot.Bits);

            case FieldKind.Uuid or FieldKind.OptionalUuid:
                return TryReadUuid(ref reader, context, out slot.Guid);

            case FieldKind.Deferred:
                slot = Deferred(ref reader);
                return true;

            case FieldKind.VariantTag:
                reader.Skip();
                return true;

            case FieldKind.Inline:
                return field.InlineReader!.Read(ref reader, context, out slot);

            default:
                throw new InvalidOperationException($"Unhandled field kind {field.Kind}.");
        }
    }

    /// <summary>
    /// Whether the current property name equals <paramref name="name"/>. A name that escapes an unpaired
    /// surrogate matches nothing (the reader would throw); reading it as a string reports it.
    /// </summary>
    public static bool NameEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        try
        {
            return reader.ValueTextEquals(name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads a string token; an escaped unpaired surrogate is reported as <c>invalid_utf8</c>.</summary>
    public static bool TryGetString(ref Utf8JsonReader reader, JsonReadContext context, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            context.Error(ProblemCodes.InvalidUtf8, "The string escapes an invalid UTF-16 sequence.", reader.TokenStartIndex);
            value = null!;
            return false;
        }
    }

    /// <summary>Reports that the value has the wrong JSON type, and skips it.</summary>
    public static bool ReportWrongType(ref Utf8JsonReader reader, string expected, JsonReadContext context)
    {
        context.Error(ProblemCodes.InvalidType, $"Expected {expected}, found {Describe(reader.TokenType)}.", reader.TokenStartIndex);
        reader.Skip();
        return false;
    }

    /// <summary>Matches an enum-valued string token against <paramref name="table"/>.</summary>
    public static bool TryReadEnum(ref Utf8JsonReader reader, WireEnum table, JsonReadContext context, out ulong value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return ReportWrongType(ref reader, $"a string ({table.Allowed})", context);
        }

        if (TryMatchEnum(ref reader, table, out var matched))
        {
            value = (ulong)matched;
            return true;
        }

        ReportUnknownEnum(ref reader, table, context);
        return false;
    }

    private static bool TryMatchEnum(ref Utf8JsonReader reader, WireEnum table, out int value)
    {
        value = -1;
        if (!reader.ValueIsEscaped)
        {
            return table.TryParse(reader.ValueSpan, out value);
        }

        if (reader.ValueSpan.Length > 256)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[256];
        try
        {
            var length = reader.CopyString(buffer);
            return table.TryParse(buffer[..length], out value);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void ReportUnknownEnum(ref Utf8JsonReader reader, WireEnum table, JsonReadContext context)
    {
        TryGetString(ref reader, context, out var text);
        context.Error(
            ProblemCodes.InvalidEnumValue,
            $"'{Echo(text ?? string.Empty)}' is not a valid {table.TypeName}; expected one of: {table.Allowed}.",
            reader.TokenStartIndex);
    }

    private static bool TryReadOpenEnum(ref Utf8JsonReader reader, WireEnum table, JsonReadContext context, ref FieldSlot slot)
    {
        var other = table.Names.Length - 1;
        if (reader.TokenType == JsonTokenType.String)
        {
            if (TryMatchEnum(ref reader, table, out var matched) && matched != other)
            {
                slot.Bits = (ulong)matched;
                return true;
            }

            // A bare unknown string reads as Other(name) (spec decision 2).
            slot.Bits = (ulong)other;
            var ok = TryGetString(ref reader, context, out var name);
            slot.Object = name;
            return ok;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ReportWrongType(ref reader, $"a string ({table.Allowed}) or {{\"other\": \"...\"}}", context);
        }

        var start = reader.TokenStartIndex;
        string? otherName = null;
        var keys = 0;
        var valid = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            keys++;
            var isOther = NameEquals(ref reader, "other"u8);
            reader.Read();
            if (isOther && reader.TokenType == JsonTokenType.String && keys == 1)
            {
                valid &= TryGetString(ref reader, context, out otherName);
            }
            else
            {
                reader.Skip();
                valid = false;
            }
        }

        if (!valid || keys != 1 || otherName is null)
        {
            context.Error(ProblemCodes.InvalidEnumValue, $"Expected one of {table.Allowed}, or an object {{\"other\": \"name\"}}.", start);
            return false;
        }

        slot.Bits = (ulong)other;
        slot.Object = otherName;
        return true;
    }

    private static bool TryReadDouble(ref Utf8JsonReader reader, JsonReadContext context, out double value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return ReportWrongType(ref reader, "a number", context);
        }

        if (!reader.TryGetDouble(out value) || !double.IsFinite(value))
        {
            context.Error(ProblemCodes.NumberOutOfRange, "The number is out of the range of a double.", reader.TokenStartIndex);
            value = 0;
            return false;
        }

        return true;
    }

    private static bool TryReadUnsigned(ref Utf8JsonReader reader, JsonReadContext context, ulong max, string expected, out ulong value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return ReportWrongType(ref reader, expected, context);
        }

        var digits = reader.ValueSpan;
        if (digits.IndexOfAny("."u8 + "eE"u8) >= 0)
        {
            context.Error(ProblemCodes.NotAnInteger, $"Expected {expected}, found a number with a fraction or exponent.", reader.TokenStartIndex);
            return false;
        }

        if (digits[0] == '-')
        {
            context.Error(ProblemCodes.NumberOutOfRange, $"Expected {expected}, found a negative number.", reader.TokenStartIndex);
            return false;
        }

        if (!Utf8Parser.TryParse(digits, out value, out var consumed) || consumed != digits.Length || value > max)
        {
            context.Error(ProblemCodes.NumberOutOfRange, $"The number is too large for {expected}.", reader.TokenStartIndex);
            value = 0;
            return false;
        }

        return true;
    }

    private static bool TryReadTimestamp(ref Utf8JsonReader reader, JsonReadContext context, out ulong ticks)
    {
        ticks = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return ReportWrongType(ref reader, "an RFC 3339 timestamp string", context);
        }

        if (reader.ValueIsEscaped || !RfcTimestamp.TryParse(reader.ValueSpan, out var timestamp))
        {
            context.Error(
                ProblemCodes.InvalidTimestamp,
                "Expected an RFC 3339 timestamp with a zone, e.g. 2024-01-15T10:30:00Z or 2024-01-15T12:30:00+02:00.",
                reader.TokenStartIndex);
            return false;
        }

        ticks = (ulong)timestamp.UtcTicks;
        return true;
    }

    private static bool TryReadUuid(ref Utf8JsonReader reader, JsonReadContext context, out Guid value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return ReportWrongType(ref reader, "a UUID string", context);
        }

        var span = reader.ValueSpan;
        if (reader.ValueIsEscaped || span.Length != 36 || !Utf8Parser.TryParse(span, out Guid guid, out var consumed, 'D') || consumed != 36)
        {
            context.Error(ProblemCodes.InvalidUuid, "Expected a UUID in the form 8-4-4-4-12 hex digits.", reader.TokenStartIndex);
            return false;
        }

        value = guid;
        return true;
    }

    private static bool TryReadStringList(ref Utf8JsonReader reader, JsonReadContext context, out object? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return ReportWrongType(ref reader, "an array of strings", context);
        }

        var list = new List<string>();
        var ok = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            context.PushIndex(list.Count);
            if (reader.TokenType == JsonTokenType.String && TryGetString(ref reader, context, out var item))
            {
                list.Add(item);
            }
            else
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    context.Error(ProblemCodes.NullNotAllowed, "Array items may not be null.", reader.TokenStartIndex);
                }
                else if (reader.TokenType != JsonTokenType.String)
                {
                    ReportWrongType(ref reader, "a string", context);
                }

                list.Add(string.Empty);
                ok = false;
            }

            context.PopPath();
        }

        value = list;
        return ok;
    }

    private static bool TryReadObjectList(ref Utf8JsonReader reader, ObjectSchema schema, JsonReadContext context, out object? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return ReportWrongType(ref reader, "an array of objects", context);
        }

        var list = schema.CreateList(4);
        var ok = true;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            context.PushIndex(index++);
            var item = ReadObject(ref reader, schema, context);
            if (item is null)
            {
                ok = false;
            }
            else
            {
                list.Add(item);
            }

            context.PopPath();
        }

        value = list;
        return ok;
    }

    /// <summary>
    /// Reads a map entry's key and moves to its value, with the key pushed on the path; an unreadable key is
    /// reported, its entry skipped and <paramref name="ok"/> cleared.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool TryEnterEntry(ref Utf8JsonReader reader, JsonReadContext context, ref bool ok, out string key, out long keyStart)
    {
        keyStart = reader.TokenStartIndex;
        if (!TryGetString(ref reader, context, out key))
        {
            reader.Read();
            reader.Skip();
            ok = false;
            return false;
        }

        reader.Read();
        context.PushPath(key);
        return true;
    }

    /// <summary>Reads a map of strings (the tags: on every event, so kept free of boxing).</summary>
    private static bool TryReadStringMap(ref Utf8JsonReader reader, JsonReadContext context, out object? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ReportWrongType(ref reader, "an object", context);
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryEnterEntry(ref reader, context, ref ok, out var key, out var keyStart))
            {
                continue;
            }

            if (reader.TokenType == JsonTokenType.String)
            {
                if (!TryGetString(ref reader, context, out var text))
                {
                    ok = false;
                }
                else if (!map.TryAdd(key, text))
                {
                    context.Error(ProblemCodes.DuplicateKey, $"The key '{Echo(key)}' appears more than once.", keyStart);
                    ok = false;
                }

                context.PopPath();
                continue;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                context.Error(ProblemCodes.NullNotAllowed, "Map values may not be null.", reader.TokenStartIndex);
            }
            else if (reader.TokenType != JsonTokenType.String)
            {
                ReportWrongType(ref reader, "a string", context);
            }

            context.PopPath();
            ok = false;
        }

        value = map;
        return ok;
    }

    private enum MapValue
    {
        UInt64,
        Double,
        Json,
    }

    private static bool TryReadMap(ref Utf8JsonReader reader, JsonReadContext context, MapValue kind, out object? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ReportWrongType(ref reader, "an object", context);
        }

        System.Collections.IDictionary map = kind switch
        {
            MapValue.UInt64 => new Dictionary<string, ulong>(StringComparer.Ordinal),
            MapValue.Double => new Dictionary<string, double>(StringComparer.Ordinal),
            _ => new Dictionary<string, JsonElement>(StringComparer.Ordinal),
        };

        var ok = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryEnterEntry(ref reader, context, ref ok, out var key, out var keyStart))
            {
                continue;
            }

            if (map.Contains(key))
            {
                context.Error(ProblemCodes.DuplicateKey, $"The key '{Echo(key)}' appears more than once.", keyStart);
                reader.Skip();
                ok = false;
            }
            else
            {
                var itemOk = true;
                object? item = null;
                switch (kind)
                {
                    case MapValue.UInt64:
                        itemOk = TryReadUnsigned(ref reader, context, ulong.MaxValue, "a 64-bit unsigned integer", out var bits);
                        item = bits;
                        break;
                    case MapValue.Double:
                        itemOk = TryReadDouble(ref reader, context, out var number);
                        item = number;
                        break;
                    default:
                        itemOk = TryReadJson(ref reader, context, out item);
                        break;
                }

                if (itemOk)
                {
                    map.Add(key, item);
                }

                ok &= itemOk;
            }

            context.PopPath();
        }

        value = map;
        return ok;
    }

    /// <summary>
    /// Reads any JSON value as a <see cref="JsonElement"/>, rejecting duplicate keys and numbers that are not finite
    /// doubles (<c>1e400</c>, a 400-digit integer) at any depth: non-finite values are refused everywhere.
    /// </summary>
    private static bool TryReadJson(ref Utf8JsonReader reader, JsonReadContext context, out object? value)
    {
        value = null;
        var probe = reader;
        if (!CheckJsonValue(ref probe, context))
        {
            reader.Skip();
            return false;
        }

        value = JsonElement.ParseValue(ref reader);
        return true;
    }

    private static bool CheckJsonValue(ref Utf8JsonReader reader, JsonReadContext context)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                HashSet<string>? keys = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var keyStart = reader.TokenStartIndex;
                    if (!TryGetString(ref reader, context, out var key))
                    {
                        return false;
                    }

                    context.PushPath(key);
                    try
                    {
                        if (!(keys ??= new(StringComparer.Ordinal)).Add(key))
                        {
                            context.Error(ProblemCodes.DuplicateKey, $"The key '{Echo(key)}' appears more than once.", keyStart);
                            return false;
                        }

                        reader.Read();
                        if (!CheckJsonValue(ref reader, context))
                        {
                            return false;
                        }
                    }
                    finally
                    {
                        context.PopPath();
                    }
                }

                return true;

            case JsonTokenType.StartArray:
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    context.PushIndex(index++);
                    var ok = CheckJsonValue(ref reader, context);
                    context.PopPath();
                    if (!ok)
                    {
                        return false;
                    }
                }

                return true;

            case JsonTokenType.String:
                return TryGetString(ref reader, context, out _);

            case JsonTokenType.Number:
                if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    context.Error(ProblemCodes.NonFiniteNumber, "The number does not fit a finite 64-bit floating-point value.", reader.TokenStartIndex);
                    return false;
                }

                return true;

            default:
                return true;
        }
    }

    private static FieldSlot Deferred(ref Utf8JsonReader reader)
    {
        var start = reader.TokenStartIndex;
        reader.Skip();
        return new FieldSlot { Present = true, Bits = (ulong)start, Double = reader.BytesConsumed - start };
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Echo(string text) => text.Length <= MaxEchoedLength ? text : string.Concat(text.AsSpan(0, MaxEchoedLength), "...");
}
