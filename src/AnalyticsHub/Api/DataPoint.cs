using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Api;

/// <summary>
/// One point of an API time-series answer: an instant, one headline value and the other values flattened beside it
/// (spec 1.8). Distinct from the time-series store's point with its map of values (decision 18).
/// </summary>
/// <remarks>
/// The HTTP API fills <see cref="Value"/> with the point's first value (for aggregations, the first aggregation's first
/// field) and <see cref="Fields"/> with the others under their result names (e.g. <c>latency_ms_p95</c>).
/// </remarks>
public sealed record DataPoint
{
    /// <summary>The point's instant, or the start of its bucket.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The headline value; written as <c>null</c> when the bucket has none (empty, or a statistic undefined for it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required double? Value { get; init; }

    /// <summary>The other values, written flat next to <c>timestamp</c> and <c>value</c>; never holds those two keys.</summary>
    /// <remarks>Settable (not init-only) because System.Text.Json binds extension data only to settable properties.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; set; }
}
