using System.Text.Json.Serialization;

namespace AnalyticsHub.Api;

/// <summary>The result of one item of a batch.</summary>
/// <typeparam name="T">The per-item data type.</typeparam>
public sealed record BatchItemResult<T>
{
    /// <summary>The item's position in the batch, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>The item's id when known; written as <c>null</c> (not left out) when absent, as the producers do.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ItemId { get; init; }

    /// <summary>What became of the item.</summary>
    public required ItemStatus Status { get; init; }

    /// <summary>Per-item data; left out of the JSON when absent.</summary>
    public T? Data { get; init; }

    /// <summary>Why the item failed or was skipped; left out of the JSON when absent.</summary>
    public ApiError? Error { get; init; }
}
