namespace AnalyticsHub.Cost;

/// <summary>Which <c>token_cost</c> events budgets count, so a request priced twice (by its producer and by the hub) counts once.</summary>
public enum BudgetCostSource
{
    /// <summary>
    /// The hub's price when the hub priced the request, the producer's otherwise (the default). A request is
    /// matched across the two by request id and token counts; a hub cost that arrives after the producer's
    /// replaces it, a producer cost that arrives after the hub's is not counted.
    /// </summary>
    PreferHub,

    /// <summary>Only the hub's own costs (<c>source_module</c> <c>llm-analytics-hub</c>); producer costs are ignored.</summary>
    Hub,

    /// <summary>Only producer costs; the hub's costs are ignored (use when the producer's bill is authoritative).</summary>
    Producer,
}
