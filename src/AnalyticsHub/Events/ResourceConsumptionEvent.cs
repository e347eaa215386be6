namespace AnalyticsHub.Events;

/// <summary>Consumption of an infrastructure resource.</summary>
public sealed record ResourceConsumptionEvent : CostPayload
{
    /// <inheritdoc/>
    public override CostType CostType => CostType.ResourceConsumption;

    /// <summary>What kind of resource.</summary>
    public required ResourceType ResourceType { get; init; }

    /// <summary>The resource.</summary>
    public required string ResourceId { get; init; }

    /// <summary>How much was consumed, in <see cref="Unit"/>.</summary>
    public required double Quantity { get; init; }

    /// <summary>The unit of <see cref="Quantity"/>.</summary>
    public required string Unit { get; init; }

    /// <summary>Cost in USD.</summary>
    public required double CostUsd { get; init; }

    /// <summary>Utilisation in percent; may exceed 100 when overcommitted.</summary>
    public required double UtilizationPercent { get; init; }
}
