using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Events;

/// <summary>A security payload; the variant is named by <see cref="SecurityType"/> (the <c>security_type</c> tag).</summary>
public abstract record SecurityPayload : EventPayload
{
    private protected SecurityPayload()
    {
    }

    /// <inheritdoc/>
    public sealed override PayloadType PayloadType => PayloadType.Security;

    /// <summary>The variant of this security payload.</summary>
    public abstract SecurityType SecurityType { get; }

    /// <inheritdoc/>
    public sealed override string Subtype => WireEnums.SecurityType.GetName(SecurityType);
}
