using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Policies;

/// <summary>What a policy's scope targets are values of (wire format 1.7); docs/policies.md maps each to request and event fields.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ScopeType>))]
public enum ScopeType
{
    /// <summary><c>global</c>: every request and event.</summary>
    Global,

    /// <summary><c>organization</c>: the tenant: a request's <c>Tenant</c>, an event's tag <c>organization</c> (or <c>tenant</c>).</summary>
    Organization,

    /// <summary><c>team</c>: a request's or event's tag <c>team</c>.</summary>
    Team,

    /// <summary><c>project</c>: a request's or event's tag <c>project</c>.</summary>
    Project,

    /// <summary><c>user</c>: a request's <c>User</c>, an event's payload <c>user_id</c> or tag <c>user_id</c>.</summary>
    User,

    /// <summary><c>resource</c>: a request's <c>Model</c>, an event's payload <c>resource_id</c>, tag <c>resource_id</c> or model id.</summary>
    Resource,
}
