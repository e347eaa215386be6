using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Policies;

/// <summary>Where a policy is in its life (wire format 1.7), snake_case on the wire.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PolicyStatus>))]
public enum PolicyStatus
{
    /// <summary><c>draft</c>: being written; not evaluated.</summary>
    Draft,

    /// <summary><c>active</c>: evaluated (as its enforcement mode says).</summary>
    Active,

    /// <summary><c>suspended</c>: paused; not evaluated.</summary>
    Suspended,

    /// <summary><c>archived</c>: retired; not evaluated.</summary>
    Archived,
}
