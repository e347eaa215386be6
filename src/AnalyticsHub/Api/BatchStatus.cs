using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Api;

/// <summary>The outcome of a whole batch (wire form: snake_case).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<BatchStatus>))]
public enum BatchStatus
{
    /// <summary><c>all_success</c>: no item failed (skipped items count as no failure).</summary>
    AllSuccess,

    /// <summary><c>partial_success</c>: some items failed, some did not.</summary>
    PartialSuccess,

    /// <summary><c>all_failed</c>: every item failed.</summary>
    AllFailed,
}
