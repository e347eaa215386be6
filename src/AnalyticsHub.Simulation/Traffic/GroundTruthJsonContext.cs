using System.Text.Json.Serialization;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Source-generated JSON metadata for ground truth: snake_case names, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GroundTruth))]
internal sealed partial class GroundTruthJsonContext : JsonSerializerContext;
