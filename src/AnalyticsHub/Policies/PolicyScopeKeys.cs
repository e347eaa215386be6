using AnalyticsHub.Events;

namespace AnalyticsHub.Policies;

/// <summary>The scope mapping (docs/policies.md): which value of a request or an event each <see cref="ScopeType"/> targets.</summary>
internal static class PolicyScopeKeys
{
    /// <summary>The scope types that have a key (all but global), in index order.</summary>
    public static readonly ScopeType[] Keyed = [ScopeType.Organization, ScopeType.Team, ScopeType.Project, ScopeType.User, ScopeType.Resource];

    /// <summary>A request's value of a scope key, or null when it has none.</summary>
    public static string? Of(ScopeType type, PolicyRequest request) => type switch
    {
        ScopeType.Organization => request.Tenant,
        ScopeType.Team => request.Tags.GetValueOrDefault("team"),
        ScopeType.Project => request.Tags.GetValueOrDefault("project"),
        ScopeType.User => request.User,
        ScopeType.Resource => request.Model,
        _ => null,
    };

    /// <summary>An event's value of a scope key, or null when it has none.</summary>
    public static string? Of(ScopeType type, AnalyticsEvent evt)
    {
        var tags = evt.Common.Tags;
        return type switch
        {
            ScopeType.Organization => tags.GetValueOrDefault("organization") ?? tags.GetValueOrDefault("tenant"),
            ScopeType.Team => tags.GetValueOrDefault("team"),
            ScopeType.Project => tags.GetValueOrDefault("project"),
            ScopeType.User => evt.Payload switch
            {
                AuthEvent auth => auth.UserId,
                PolicyViolationEvent violation when violation.UserId is not null => violation.UserId,
                _ => tags.GetValueOrDefault("user_id"),
            },
            ScopeType.Resource => evt.Payload switch
            {
                ResourceConsumptionEvent resource => resource.ResourceId,
                AuditTrailEvent audit => audit.ResourceId,
                PolicyViolationEvent violation => violation.ResourceId,
                _ => tags.GetValueOrDefault("resource_id") ?? ModelId(evt),
            },
            _ => null,
        };
    }

    /// <summary>The model an event is about: a telemetry payload's or a <c>token_cost</c> event's <c>model_id</c>.</summary>
    public static string? ModelId(AnalyticsEvent evt) => evt.Payload switch
    {
        TelemetryPayload telemetry => telemetry.ModelId,
        TokenCostEvent cost => cost.ModelId,
        _ => null,
    };
}
