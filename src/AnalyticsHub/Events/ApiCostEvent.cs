namespace AnalyticsHub.Events;

/// <summary>The cost of calls to a provider's API over a billing period.</summary>
public sealed record ApiCostEvent : CostPayload
{
    /// <inheritdoc/>
    public override CostType CostType => CostType.ApiCost;

    /// <summary>The provider.</summary>
    public required string Provider { get; init; }

    /// <summary>The endpoint called.</summary>
    public required string ApiEndpoint { get; init; }

    /// <summary>Requests made.</summary>
    public required ulong RequestCount { get; init; }

    /// <summary>Price of one request in USD.</summary>
    public required double CostPerRequest { get; init; }

    /// <summary>Total cost in USD.</summary>
    public required double TotalCostUsd { get; init; }

    /// <summary>The billing period, free text.</summary>
    public required string BillingPeriod { get; init; }
}
