using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Api;

/// <summary>What became of one item of a batch (wire form: lowercase).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ItemStatus>))]
public enum ItemStatus
{
    /// <summary><c>success</c>: the item was processed.</summary>
    Success,

    /// <summary><c>failed</c>: the item was rejected; its <c>error</c> says why.</summary>
    Failed,

    /// <summary><c>skipped</c>: the item needed no work, e.g. an event already stored.</summary>
    Skipped,
}
