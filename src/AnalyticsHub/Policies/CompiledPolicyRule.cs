using AnalyticsHub.Events;
using AnalyticsHub.Expressions;

namespace AnalyticsHub.Policies;

/// <summary>One enabled rule of an evaluated policy, ready to run: its compiled condition, exclusions and payload filter.</summary>
internal sealed class CompiledPolicyRule(PolicyMatch match, CompiledExpression condition, (ScopeType Type, string Value)[] exclusions, string? payloadVariant)
{
    /// <summary>What a match of this rule reports.</summary>
    public PolicyMatch Match { get; } = match;

    /// <summary>The policy's full definition, for violations.</summary>
    public required PolicyDefinition Policy { get; init; }

    /// <summary>Whether the rule is about a payload variant only (<c>token_cost</c>); the family is filtered by the snapshot's index.</summary>
    public bool AppliesTo(AnalyticsEvent evt) => payloadVariant is null || string.Equals(evt.Payload.Subtype, payloadVariant, StringComparison.Ordinal);

    /// <summary>Whether the request's or event's keys hit an exclusion of the policy.</summary>
    public bool IsExcluded(PolicyRequest request)
    {
        foreach (var (type, value) in exclusions)
        {
            if (string.Equals(PolicyScopeKeys.Of(type, request), value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc cref="IsExcluded(PolicyRequest)"/>
    public bool IsExcluded(AnalyticsEvent evt)
    {
        foreach (var (type, value) in exclusions)
        {
            if (string.Equals(PolicyScopeKeys.Of(type, evt), value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the condition holds for a request.</summary>
    public bool Holds(PolicyContext context) => condition.EvaluateCondition(null, context);

    /// <summary>Whether the condition holds for an event.</summary>
    public bool Holds(AnalyticsEvent evt, PolicyContext context) => condition.EvaluateCondition(evt, context);
}
