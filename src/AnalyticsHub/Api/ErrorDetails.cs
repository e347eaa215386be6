using System.Text.Json;

namespace AnalyticsHub.Api;

/// <summary>Optional detail of an <see cref="ApiError"/>; every member is left out of the JSON when absent.</summary>
public sealed record ErrorDetails
{
    /// <summary>A trace or stack for operators.</summary>
    public string? Trace { get; init; }

    /// <summary>Structured facts about the error, e.g. the missed sequence range of a <c>stream_gap</c>.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Context { get; init; }

    /// <summary>What the caller can do about it.</summary>
    public IReadOnlyList<string>? Suggestions { get; init; }

    /// <summary>Where to read more.</summary>
    public string? DocumentationUrl { get; init; }
}
