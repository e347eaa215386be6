using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Api;

/// <summary>The outcome of an API call (wire form: lowercase).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ResponseStatus>))]
public enum ResponseStatus
{
    /// <summary><c>success</c>: the call did what was asked.</summary>
    Success,

    /// <summary><c>error</c>: the call failed; <c>error</c> says why.</summary>
    Error,

    /// <summary><c>partial</c>: part of the call succeeded.</summary>
    Partial,
}
