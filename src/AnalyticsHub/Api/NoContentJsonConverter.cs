using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Api;

/// <summary>Writes <see cref="NoContent"/> as <c>null</c> and reads anything (including <c>null</c>) as it.</summary>
internal sealed class NoContentJsonConverter : JsonConverter<NoContent>
{
    public override bool HandleNull => true;

    public override NoContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        reader.Skip();
        return NoContent.Value;
    }

    public override void Write(Utf8JsonWriter writer, NoContent value, JsonSerializerOptions options) => writer.WriteNullValue();
}
