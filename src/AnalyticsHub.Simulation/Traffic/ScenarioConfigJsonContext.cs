using System.Text.Json.Serialization;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Source-generated JSON metadata for scenario configs: snake_case names, unknown keys rejected.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScenarioConfig))]
internal sealed partial class ScenarioConfigJsonContext : JsonSerializerContext;
