using AnalyticsHub.Metadata;

namespace AnalyticsHub.Policies;

/// <summary>
/// A policy: rules whose conditions are expressions, an enforcement mode and a scope (wire format 1.7
/// <c>PolicyDefinition</c>). Store it through <see cref="PolicyRegistry.Policies"/>, which compiles every condition on
/// write; read and write its JSON with <see cref="PolicyJsonContext"/>.
/// </summary>
public sealed record PolicyDefinition
{
    /// <summary>The policy's id, unique among policies; no surrounding white space.</summary>
    public required string PolicyId { get; init; }

    /// <summary>Its name, for people and for violations' <c>policy_name</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What it is for.</summary>
    public required string Description { get; init; }

    /// <summary>Its own version (free text, e.g. <c>1.2.0</c>); not the store's revision.</summary>
    public required string Version { get; init; }

    /// <summary>What the policy is about.</summary>
    public required PolicyType PolicyType { get; init; }

    /// <summary>Its rules, evaluated in order; each condition is an expression (docs/expressions.md).</summary>
    public required IReadOnlyList<PolicyRule> Rules { get; init; }

    /// <summary>Whether its matches are enforced, only recorded, or not evaluated.</summary>
    public required EnforcementMode Enforcement { get; init; }

    /// <summary>What requests and events it applies to.</summary>
    public required PolicyScope Scope { get; init; }

    /// <summary>Who owns it.</summary>
    public required OwnerInfo Owner { get; init; }

    /// <summary>When it was first stored; the registry keeps the first revision's value.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed; the registry sets it from its clock on every write.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Where it is in its life; only <see cref="PolicyStatus.Active"/> policies are evaluated.</summary>
    public required PolicyStatus Status { get; init; }

    /// <summary>Free string labels (empty by default; null is refused on input); <c>payload_kind</c> narrows the policy to a payload family or variant.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();
}
