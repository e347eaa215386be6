using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// Enums of the wire types other than events: snake_case (which equals lowercase for one-word
/// names) on output, never numbers (spec 1.1). Reading matches names case-insensitively.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
internal sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
