using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>Writes the <c>data</c> object of every payload variant in the producers' canonical shape, from <see cref="PayloadCatalog"/>.</summary>
internal static class PayloadWriter
{
    /// <summary>Writes <paramref name="payload"/> as the <c>data</c> object (with its variant tag first).</summary>
    public static void WriteData(Utf8JsonWriter writer, EventPayload payload) => WriteObject(writer, PayloadCatalog.Of(payload).Schema, payload);

    /// <summary>Writes the tags (or any string map) as an object.</summary>
    public static void WriteMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteObject(Utf8JsonWriter writer, ObjectSchema schema, object record)
    {
        writer.WriteStartObject();
        foreach (var field in schema.Fields)
        {
            var slot = field.Get!(record);
            if (!slot.Present)
            {
                if (!field.OmitWhenAbsent)
                {
                    writer.WriteNull(field.Utf8Name);
                }

                continue;
            }

            writer.WritePropertyName(field.Utf8Name);
            WriteValue(writer, field, slot);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, FieldSpec field, FieldSlot slot)
    {
        switch (field.Kind)
        {
            case FieldKind.String or FieldKind.OptionalString:
                writer.WriteStringValue(slot.String);
                break;
            case FieldKind.Double or FieldKind.OptionalDouble:
                writer.WriteNumberValue(slot.Double);
                break;
            case FieldKind.UInt32 or FieldKind.OptionalUInt32 or FieldKind.UInt64:
                writer.WriteNumberValue(slot.Bits);
                break;
            case FieldKind.Boolean:
                writer.WriteBooleanValue(slot.Boolean);
                break;
            case FieldKind.Enum or FieldKind.VariantTag:
                writer.WriteStringValue(field.EnumTable!.Utf8Name((int)slot.Bits));
                break;
            case FieldKind.OpenEnum when slot.Object is string otherName:
                writer.WriteStartObject();
                writer.WriteString("other"u8, otherName);
                writer.WriteEndObject();
                break;
            case FieldKind.OpenEnum:
                writer.WriteStringValue(field.EnumTable!.Utf8Name((int)slot.Bits));
                break;
            case FieldKind.StringList:
                writer.WriteStartArray();
                foreach (var item in slot.As<IReadOnlyList<string>>())
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            case FieldKind.UInt64Map:
                WriteEntries(writer, slot.As<IReadOnlyDictionary<string, ulong>>(), static (w, v) => w.WriteNumberValue(v));
                break;
            case FieldKind.DoubleMap:
                WriteEntries(writer, slot.As<IReadOnlyDictionary<string, double>>(), static (w, v) => w.WriteNumberValue(v));
                break;
            case FieldKind.JsonMap:
                WriteEntries(writer, slot.As<IReadOnlyDictionary<string, JsonElement>>(), WriteJson);
                break;
            case FieldKind.Json:
                WriteJson(writer, (JsonElement)slot.Object!);
                break;
            case FieldKind.OptionalObject:
                WriteObject(writer, field.Nested!, slot.Object!);
                break;
            case FieldKind.ObjectList:
                writer.WriteStartArray();
                foreach (var item in (System.Collections.IEnumerable)slot.Object!)
                {
                    WriteObject(writer, field.Nested!, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"Payload fields of kind {field.Kind} are not written.");
        }
    }

    private static void WriteEntries<TValue>(Utf8JsonWriter writer, IReadOnlyDictionary<string, TValue> map, Action<Utf8JsonWriter, TValue> write)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in map)
        {
            writer.WritePropertyName(key);
            write(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes arbitrary JSON; an unset element (<c>default</c>) is written as <c>null</c>.</summary>
    private static void WriteJson(Utf8JsonWriter writer, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
