using System.Text.Json;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Reads and writes <see cref="GroundTruth"/> as JSON (snake_case keys, nulls left out). Thread-safe.</summary>
public static class GroundTruthJson
{
    /// <summary>Writes the truth as indented JSON.</summary>
    public static string Write(GroundTruth truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        return JsonSerializer.Serialize(truth, GroundTruthJsonContext.Default.GroundTruth);
    }

    /// <summary>Writes the truth as indented UTF-8 JSON to a stream.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="truth">The truth.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static Task WriteAsync(Stream stream, GroundTruth truth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(truth);
        return JsonSerializer.SerializeAsync(stream, truth, GroundTruthJsonContext.Default.GroundTruth, cancellationToken);
    }

    /// <summary>Reads truth written by <see cref="Write"/>.</summary>
    /// <exception cref="JsonException">The JSON is malformed or not a ground truth.</exception>
    public static GroundTruth Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, GroundTruthJsonContext.Default.GroundTruth)
            ?? throw new JsonException("The ground truth must be a JSON object, not null.");
    }
}
