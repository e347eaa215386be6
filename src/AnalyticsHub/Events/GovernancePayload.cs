using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Events;

/// <summary>A governance payload; the variant is named by <see cref="GovernanceType"/> (the <c>governance_type</c> tag).</summary>
public abstract record GovernancePayload : EventPayload
{
    private protected GovernancePayload()
    {
    }

    /// <inheritdoc/>
    public sealed override PayloadType PayloadType => PayloadType.Governance;

    /// <summary>The variant of this governance payload.</summary>
    public abstract GovernanceType GovernanceType { get; }

    /// <inheritdoc/>
    public sealed override string Subtype => WireEnums.GovernanceType.GetName(GovernanceType);
}
