using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Api;

/// <summary>The <c>meta</c> object of every response: request id, clock time, API version and extra keys.</summary>
public sealed record ResponseMetadata
{
    /// <summary>The API version written by default.</summary>
    public const string DefaultApiVersion = "1.0.0";

    /// <summary>Identifies the request, for logs.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>When the response was made (clock time).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The API version; <see cref="DefaultApiVersion"/> by default.</summary>
    public string ApiVersion { get; init; } = DefaultApiVersion;

    /// <summary>How long the request took.</summary>
    /// <remarks>Milliseconds; left out of the JSON when absent.</remarks>
    public ulong? ResponseTimeMs { get; init; }

    /// <summary>Extra keys, written flat inside <c>meta</c> next to the named ones (e.g. <c>"region":"eu"</c>).</summary>
    /// <remarks>Settable (not init-only) because System.Text.Json binds extension data only to settable properties.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Fresh metadata: a new request id, the clock's now, the default version, no extra keys.</summary>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public static ResponseMetadata Create(TimeProvider? timeProvider = null) => new()
    {
        RequestId = Guid.NewGuid(),
        Timestamp = (timeProvider ?? TimeProvider.System).GetUtcNow(),
    };
}
