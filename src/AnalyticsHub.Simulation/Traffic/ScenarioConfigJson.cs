using System.Text;
using System.Text.Json;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Reads and writes scenario configs as JSON (snake_case keys; the format is in docs/simulation.md).</summary>
/// <remarks>
/// Reading rejects malformed JSON, unknown keys, wrong types and out-of-range values with a
/// <see cref="ScenarioConfigException"/> whose problems name the JSON path (<c>$.knobs.noise</c>).
/// Comments and trailing commas are allowed. Thread-safe.
/// </remarks>
public static class ScenarioConfigJson
{
    /// <summary>Reads and validates a config from JSON text.</summary>
    /// <exception cref="ScenarioConfigException">The JSON is malformed or the config is invalid.</exception>
    public static ScenarioConfig Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads and validates a config from UTF-8 JSON.</summary>
    /// <exception cref="ScenarioConfigException">The JSON is malformed or the config is invalid.</exception>
    public static ScenarioConfig Read(ReadOnlySpan<byte> utf8Json)
    {
        ScenarioConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(utf8Json, ScenarioConfigJsonContext.Default.ScenarioConfig);
        }
        catch (JsonException ex)
        {
            throw new ScenarioConfigException(ex.Path ?? "$", Describe(ex), ex);
        }

        if (config is null)
        {
            throw new ScenarioConfigException("$", "The config must be a JSON object, not null.");
        }

        config.EnsureValid();
        return config;
    }

    /// <summary>Reads and validates a config from a file.</summary>
    /// <exception cref="ScenarioConfigException">The JSON is malformed or the config is invalid.</exception>
    public static ScenarioConfig Load(string path) => Read(File.ReadAllBytes(path));

    /// <summary>Writes a config as indented JSON.</summary>
    public static string Write(ScenarioConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, ScenarioConfigJsonContext.Default.ScenarioConfig);
    }

    private static string Describe(JsonException ex)
    {
        // The serializer appends "Path: ... | LineNumber: ..." to its message; the path is reported separately.
        var message = ex.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return ex.LineNumber is { } line
            ? $"{message} (line {line + 1}, byte {ex.BytePositionInLine + 1})"
            : message;
    }
}
