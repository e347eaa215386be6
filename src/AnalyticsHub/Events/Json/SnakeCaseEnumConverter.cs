using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// Enums of the wire types other than events: snake_case (which equals lowercase for one-word names) on output, never
/// numbers (spec 1.1); a member's <see cref="JsonStringEnumMemberNameAttribute"/> overrides its name. Reading is exact: a name in another case (<c>"Temporal"</c>), a number or an unknown name is
/// refused with a <see cref="JsonException"/>, as variant names are case-sensitive on the wire.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
internal sealed class SnakeCaseEnumConverter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    private static readonly byte[][] Names = Array.ConvertAll(Values, v => Encoding.UTF8.GetBytes(NameOf(v)));

    private static string NameOf(TEnum value)
    {
        var member = value.ToString();
        return typeof(TEnum).GetField(member, BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(member);
    }

    /// <inheritdoc/>
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a {typeof(TEnum).Name} name as a string; got {reader.TokenType}.");
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (reader.ValueTextEquals(Names[i]))
            {
                return Values[i];
            }
        }

        throw new JsonException($"'{reader.GetString()}' is not a {typeof(TEnum).Name}; expected one of: {string.Join(", ", Names.Select(n => Encoding.UTF8.GetString(n)))}.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        var index = Array.IndexOf(Values, value);
        if (index < 0)
        {
            throw new JsonException($"{value} is not a defined {typeof(TEnum).Name}.");
        }

        writer.WriteStringValue(Names[index]);
    }
}
