using System.Text.Json;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Builds the <c>changes</c> map of audit-trail events from string pairs.</summary>
internal static class Changes
{
    public static IReadOnlyDictionary<string, JsonElement> Of(params (string Key, string Value)[] pairs)
    {
        var map = new Dictionary<string, JsonElement>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(value.Length + 8);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStringValue(value);
            }

            using var doc = JsonDocument.Parse(buffer.WrittenMemory);
            map[key] = doc.RootElement.Clone();
        }

        return map;
    }
}
