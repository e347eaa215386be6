using System.Buffers;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Events;

/// <summary>
/// Reads and writes events in the producers' wire format (spec section 1.3 and decisions 1–6).
/// </summary>
/// <remarks>
/// Reading is lenient where the spec allows (flattened payloads, case-insensitive enum names, the
/// <c>llm-costops</c> alias, any time zone) and strict elsewhere (duplicate keys, exact integers,
/// zone-less timestamps). It never throws for bad input: problems come back with codes from
/// <see cref="ProblemCodes"/>, paths and byte offsets. Writing is canonical. Thread-safe.
/// </remarks>
public static class AnalyticsEventJson
{
    /// <summary>Reads one event from UTF-8 JSON holding exactly one object.</summary>
    public static EventReadResult Read(ReadOnlySpan<byte> utf8Json) => EventJsonReader.Read(utf8Json);

    /// <summary>Reads one event from a JSON string holding exactly one object.</summary>
    public static EventReadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var length = Encoding.UTF8.GetMaxByteCount(json.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(json, buffer);
            return EventJsonReader.Read(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes <paramref name="evt"/> to <paramref name="writer"/> in the canonical shape.</summary>
    /// <exception cref="ArgumentException">A number of the event is NaN or infinite (the validator rejects such events).</exception>
    public static void Write(Utf8JsonWriter writer, AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(evt);
        EventJsonWriter.Write(writer, evt);
    }

    /// <summary>Serializes <paramref name="evt"/> to UTF-8 JSON.</summary>
    /// <param name="evt">The event.</param>
    /// <param name="indented">Whether to indent the output for people.</param>
    public static byte[] SerializeToUtf8Bytes(AnalyticsEvent evt, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var writer = new Utf8JsonWriter(buffer, indented ? EventJsonWriter.Indented : EventJsonWriter.Compact))
        {
            Write(writer, evt);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes <paramref name="evt"/> to a JSON string.</summary>
    /// <param name="evt">The event.</param>
    /// <param name="indented">Whether to indent the output for people.</param>
    public static string Serialize(AnalyticsEvent evt, bool indented = false) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(evt, indented));
}
