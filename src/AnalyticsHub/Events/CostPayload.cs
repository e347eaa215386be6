using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Events;

/// <summary>A cost payload; the variant is named by <see cref="CostType"/> (the <c>cost_type</c> tag).</summary>
public abstract record CostPayload : EventPayload
{
    private protected CostPayload()
    {
    }

    /// <inheritdoc/>
    public sealed override PayloadType PayloadType => PayloadType.Cost;

    /// <summary>The variant of this cost payload.</summary>
    public abstract CostType CostType { get; }

    /// <inheritdoc/>
    public sealed override string Subtype => WireEnums.CostType.GetName(CostType);
}
