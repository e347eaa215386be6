using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>The shared field writers used by the per-variant writers.</summary>
internal static partial class PayloadWriter
{
    private static void Write(Utf8JsonWriter writer, CustomPayload p)
    {
        writer.WriteStartObject();
        writer.WriteString("custom_type"u8, p.CustomType);
        writer.WritePropertyName("data"u8);
        WriteJson(writer, p.Data);
        writer.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteStringList(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, ulong> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteNumber(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, double> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteNumber(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, JsonElement> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WritePropertyName(key);
            WriteJson(writer, value);
        }

        writer.WriteEndObject();
    }

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

    private static void WriteOpenEnum(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? otherName, byte[] knownName)
    {
        if (otherName is null)
        {
            writer.WriteString(name, knownName);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("other"u8, otherName);
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
