using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// <see cref="SourceModule"/> in wire types other than events: kebab-case on output (<c>llm-cost-ops</c>); reading
/// is case-insensitive and accepts the alias <c>llm-costops</c> (decision 2). Never a number.
/// </summary>
internal sealed class SourceModuleJsonConverter : JsonConverter<SourceModule>
{
    public override SourceModule Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("source_module must be a string; allowed: " + WireEnums.SourceModule.Allowed + ".");
        }

        var name = reader.GetString()!;
        return WireEnums.SourceModule.TryParse(name, out var value)
            ? value
            : throw new JsonException("Unknown source_module '" + name + "'; allowed: " + WireEnums.SourceModule.Allowed + ".");
    }

    public override void Write(Utf8JsonWriter writer, SourceModule value, JsonSerializerOptions options) =>
        writer.WriteStringValue(WireEnums.SourceModule.Utf8Name(value));
}
