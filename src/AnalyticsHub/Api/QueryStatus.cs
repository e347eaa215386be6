using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Api;

/// <summary>The outcome of a query (wire form: snake_case).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<QueryStatus>))]
public enum QueryStatus
{
    /// <summary><c>success</c>: the answer is complete.</summary>
    Success,

    /// <summary><c>partial_success</c>: part of the answer is missing; <c>warnings</c> say which.</summary>
    PartialSuccess,

    /// <summary><c>failed</c>: no answer.</summary>
    Failed,

    /// <summary><c>timeout</c>: the query ran out of time.</summary>
    Timeout,
}
