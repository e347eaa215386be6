using AnalyticsHub.Events;

namespace AnalyticsHub.Cost;

/// <summary>What <see cref="CostCalculator.Reprice"/> found: the new costs and how they compare with the old ones.</summary>
public sealed record RepricingResult
{
    /// <summary>The new <c>token_cost</c> events, one per priced <c>token_usage</c> event, in input order.</summary>
    public required IReadOnlyList<AnalyticsEvent> Costs { get; init; }

    /// <summary>The sum of the new costs in USD.</summary>
    public required double TotalCostUsd { get; init; }

    /// <summary>The sum of the hub's earlier costs for the usage events that had one (<see cref="ComparedCount"/> of them).</summary>
    public required double PreviousCostUsd { get; init; }

    /// <summary>How many re-priced usage events had an earlier hub cost in the input.</summary>
    public required int ComparedCount { get; init; }

    /// <summary>Usage events whose model the table does not know, counted by model id (not priced).</summary>
    public required IReadOnlyDictionary<string, long> UnknownModels { get; init; }
}
