using System.Text.Json;
using System.Text.Unicode;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// Reads one event from UTF-8 JSON: the nested payload envelope or the flattened form, every problem
/// reported with its code, path and byte offset. Never throws for bad input.
/// </summary>
internal static class EventJsonReader
{
    private const int MaxDepth = 64;

    /// <summary>The fields of the event object: the common fields, the nested payload envelope and the flattened form's two keys.</summary>
    internal static readonly ObjectSchema<CommonEventFields> Common = new(
        [
            new("event_id", FieldKind.Uuid),
            new("timestamp", FieldKind.Timestamp),
            new("source_module", FieldKind.Enum, WireEnums.SourceModule),
            new("event_type", FieldKind.Enum, WireEnums.EventType),
            new("correlation_id", FieldKind.OptionalUuid),
            new("parent_event_id", FieldKind.OptionalUuid),
            new("schema_version", FieldKind.DefaultedString),
            new("severity", FieldKind.Enum, WireEnums.Severity),
            new("environment", FieldKind.String),
            new("tags", FieldKind.StringMap),
            new("payload", FieldKind.Inline, inline: EnvelopeReader.Instance),
            new("payload_type", FieldKind.Deferred),
            new("data", FieldKind.Deferred),
        ],
        s => new CommonEventFields
        {
            // A missing event_id gets a fresh UUID, as the producers do (spec decision 4).
            EventId = s[0].Present ? s[0].Guid : Guid.NewGuid(),
            Timestamp = new DateTimeOffset((long)s[1].Bits, TimeSpan.Zero),
            SourceModule = (SourceModule)s[2].Bits,
            EventType = (EventType)s[3].Bits,
            CorrelationId = s[4].OptionalGuid,
            ParentEventId = s[5].OptionalGuid,
            SchemaVersion = s[6].OptionalString ?? SchemaVersion.Current,
            Severity = (Severity)s[7].Bits,
            Environment = s[8].String,
            Tags = s[9].Object as IReadOnlyDictionary<string, string> ?? CommonEventFields.EmptyTags,
        });

    private const int PayloadSlot = 10;
    private const int PayloadTypeSlot = 11;
    private const int DataSlot = 12;
    private const int SchemaVersionSlot = 6;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Reads one event from <paramref name="utf8"/>, which must hold exactly one JSON object.</summary>
    public static EventReadResult Read(ReadOnlySpan<byte> utf8)
    {
        var context = JsonReadContext.Rent();
        try
        {
            var evt = Read(utf8, context);
            return new EventReadResult(context.HasErrors ? null : evt, context.TakeProblems());
        }
        finally
        {
            JsonReadContext.Return(context);
        }
    }

    private static AnalyticsEvent? Read(ReadOnlySpan<byte> utf8, JsonReadContext context)
    {
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            context.Error(ProblemCodes.EmptyInput, "The input holds no JSON.", 0);
            return null;
        }

        if (!Utf8.IsValid(utf8))
        {
            context.Error(ProblemCodes.InvalidUtf8, "The input is not valid UTF-8.", FirstInvalidUtf8(utf8));
            return null;
        }

        var count = Common.Fields.Length;
        var frame = context.PushFrame(count);
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                SchemaReader.ReportWrongType(ref reader, "an event object", context);
                Drain(ref reader);
                return null;
            }

            var eventStart = reader.TokenStartIndex;
            var fieldsOk = SchemaReader.ReadFields(ref reader, Common, context, frame);
            Drain(ref reader);
            var slots = context.Slots;
            var payload = ReadPayload(utf8, context, slots[frame + PayloadSlot], slots[frame + PayloadTypeSlot], slots[frame + DataSlot], eventStart);

            // The payload readers move the base offset; the version was read at the top level.
            context.BaseOffset = 0;
            var version = slots[frame + SchemaVersionSlot];
            if (version.Present && version.Object is string text && !SchemaVersion.IsSupported(text))
            {
                context.ErrorAtChild(
                    "schema_version",
                    ProblemCodes.UnsupportedSchemaVersion,
                    $"Schema version '{text}' is not supported; supported versions: {SchemaVersion.Supported}.",
                    (long)version.Bits);
            }

            if (!fieldsOk || payload is null || context.HasErrors)
            {
                return null;
            }

            return new AnalyticsEvent
            {
                Common = (CommonEventFields)Common.Create(new ReadOnlySpan<FieldSlot>(slots, frame, count)),
                Payload = payload,
            };
        }
        catch (JsonException ex)
        {
            // Only the reader itself throws here: the input is not well-formed JSON, which makes
            // whatever else was found so far noise.
            context.ClearProblems();
            var offset = ex.LineNumber is 0 or null ? ex.BytePositionInLine ?? reader.BytesConsumed : reader.BytesConsumed;
            context.Error(ProblemCodes.InvalidJson, Clean(ex.Message), offset);
            return null;
        }
        finally
        {
            context.PopFrame(frame, count);
        }
    }

    /// <summary>Reads to the end of the input so that trailing content after the object is a syntax error.</summary>
    private static void Drain(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    private static EventPayload? ReadPayload(ReadOnlySpan<byte> input, JsonReadContext context, FieldSlot payload, FieldSlot payloadType, FieldSlot data, long eventStart)
    {
        if (payload.Present)
        {
            // Read in the same pass as the event, unless data came before payload_type.
            return payload.Object is DeferredData deferred
                ? ReadDeferredData(input, context, deferred.Kind, deferred.Start, deferred.Length, "payload")
                : (EventPayload?)payload.Object;
        }

        if (!payloadType.Present && !data.Present)
        {
            context.ErrorAtChild("payload", ProblemCodes.MissingField, "The required field 'payload' is missing.", eventStart);
            return null;
        }

        // The flattened form some documents show: payload_type and data at the top level (decision 1).
        if (!payloadType.Present || !data.Present)
        {
            var missing = payloadType.Present ? "data" : "payload_type";
            context.ErrorAtChild(missing, ProblemCodes.MissingField, $"The required field '{missing}' is missing.", eventStart);
            return null;
        }

        var (typeStart, typeLength) = Range(payloadType);
        context.BaseOffset = typeStart;
        context.PushPath("payload_type");
        var typeReader = new Utf8JsonReader(input.Slice((int)typeStart, (int)typeLength), ReaderOptions);
        typeReader.Read();
        var typeOk = TryReadPayloadType(ref typeReader, context, out var kind);
        context.PopPath();
        context.BaseOffset = 0;
        if (!typeOk)
        {
            return null;
        }

        var (dataStart, dataLength) = Range(data);
        return ReadDeferredData(input, context, kind, dataStart, dataLength, null);
    }

    private static EventPayload? ReadDeferredData(ReadOnlySpan<byte> input, JsonReadContext context, PayloadType kind, long start, long length, string? parent)
    {
        if (parent is not null)
        {
            context.PushPath(parent);
        }

        context.PushPath("data");
        context.BaseOffset = start;
        try
        {
            var reader = new Utf8JsonReader(input.Slice((int)start, (int)length), ReaderOptions);
            reader.Read();
            return ReadData(ref reader, kind, context);
        }
        finally
        {
            context.BaseOffset = 0;
            context.PopPath();
            if (parent is not null)
            {
                context.PopPath();
            }
        }
    }

    private static bool TryReadPayloadType(ref Utf8JsonReader reader, JsonReadContext context, out PayloadType kind)
    {
        kind = default;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return NullNotAllowed(ref reader, context, "payload_type");
        }

        var ok = SchemaReader.TryReadEnum(ref reader, WireEnums.PayloadType, context, out var raw);
        kind = (PayloadType)raw;
        return ok;
    }

    /// <summary>Reads the <c>data</c> object of a payload of family <paramref name="kind"/>; the reader is on its first token.</summary>
    private static EventPayload? ReadData(ref Utf8JsonReader reader, PayloadType kind, JsonReadContext context)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            NullNotAllowed(ref reader, context, "data");
            return null;
        }

        if (kind == PayloadType.Custom)
        {
            return (EventPayload?)SchemaReader.ReadObject(ref reader, PayloadCatalog.Custom, context);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            SchemaReader.ReportWrongType(ref reader, "an object", context);
            return null;
        }

        var schema = VariantSchema(kind, ref reader, context);
        if (schema is null)
        {
            reader.Skip();
            return null;
        }

        return (EventPayload?)SchemaReader.ReadObject(ref reader, schema, context);
    }

    private static bool NullNotAllowed(ref Utf8JsonReader reader, JsonReadContext context, string name)
    {
        context.Error(ProblemCodes.NullNotAllowed, $"'{name}' may not be null.", reader.TokenStartIndex);
        return false;
    }

    /// <summary>Finds the variant tag (e.g. <c>telemetry_type</c>) in the data object and picks its schema.</summary>
    /// <remarks>The canonical writer puts the tag first, so the probe usually reads two tokens.</remarks>
    private static ObjectSchema? VariantSchema(PayloadType kind, ref Utf8JsonReader reader, JsonReadContext context)
    {
        // Every variant of a family starts with the same tag field.
        var tagField = PayloadCatalog.For(kind, 0).Fields[0];
        var tag = tagField.Name;
        var table = tagField.EnumTable!;

        var probe = reader;
        var objectStart = probe.TokenStartIndex;
        while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
        {
            var isTag = SchemaReader.NameEquals(ref probe, tagField.Utf8Name);
            probe.Read();
            if (!isTag)
            {
                probe.Skip();
                continue;
            }

            context.PushPath(tag);
            var variant = 0UL;
            var ok = probe.TokenType == JsonTokenType.Null
                ? NullNotAllowed(ref probe, context, tag)
                : SchemaReader.TryReadEnum(ref probe, table, context, out variant);
            context.PopPath();
            if (!ok)
            {
                return null;
            }

            return PayloadCatalog.For(kind, (int)variant);
        }

        context.ErrorAtChild(tag, ProblemCodes.MissingField, $"The required field '{tag}' is missing; expected one of: {table.Allowed}.", objectStart);
        return null;
    }

    /// <summary>A data object that came before its payload_type: read once the type is known.</summary>
    private sealed record DeferredData(PayloadType Kind, long Start, long Length);

    /// <summary>Reads the <c>payload</c> envelope in the same pass as the event.</summary>
    private sealed class EnvelopeReader : IInlineFieldReader
    {
        public static readonly EnvelopeReader Instance = new();

        public bool Read(ref Utf8JsonReader reader, JsonReadContext context, out FieldSlot slot)
        {
            slot = new FieldSlot { Present = true };
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return SchemaReader.ReportWrongType(ref reader, "an object", context);
            }

            var envelopeStart = reader.TokenStartIndex;
            var seenType = false;
            var seenData = false;
            var typeOk = false;
            var kind = default(PayloadType);
            var ok = true;
            long dataStart = -1, dataLength = 0;
            EventPayload? payload = null;
            HashSet<string>? unknown = null;

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = reader.TokenStartIndex;
                if (SchemaReader.NameEquals(ref reader, "payload_type"u8))
                {
                    reader.Read();
                    if (seenType)
                    {
                        ok = SchemaReader.ReportDuplicate(ref reader, "payload_type", nameStart, context);
                        continue;
                    }

                    seenType = true;
                    context.PushPath("payload_type");
                    typeOk = TryReadPayloadType(ref reader, context, out kind);
                    context.PopPath();
                    ok &= typeOk;
                }
                else if (SchemaReader.NameEquals(ref reader, "data"u8))
                {
                    reader.Read();
                    if (seenData)
                    {
                        ok = SchemaReader.ReportDuplicate(ref reader, "data", nameStart, context);
                        continue;
                    }

                    seenData = true;
                    if (typeOk)
                    {
                        context.PushPath("data");
                        payload = ReadData(ref reader, kind, context);
                        context.PopPath();
                        ok &= payload is not null;
                    }
                    else
                    {
                        dataStart = reader.TokenStartIndex;
                        reader.Skip();
                        dataLength = reader.BytesConsumed - dataStart;
                    }
                }
                else
                {
                    ok &= SchemaReader.SkipUnknown(ref reader, ref unknown, context);
                }
            }

            if (!seenType || !seenData)
            {
                var missing = seenType ? "data" : "payload_type";
                context.ErrorAtChild(missing, ProblemCodes.MissingField, $"The required field '{missing}' is missing.", envelopeStart);
                return false;
            }

            if (!ok)
            {
                return false;
            }

            slot.Object = payload ?? (object)new DeferredData(kind, context.BaseOffset + dataStart, dataLength);
            return true;
        }
    }

    private static (long Start, long Length) Range(FieldSlot slot) => ((long)slot.Bits, (long)slot.Double);

    private static long FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (offset < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    /// <summary>Drops the reader's own position suffix; the problem carries the offset.</summary>
    private static string Clean(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
