namespace AnalyticsHub.Events;

/// <summary>The kind of a cost payload: the <c>cost_type</c> tag.</summary>
public enum CostType
{
    /// <summary><c>token_cost</c>.</summary>
    TokenCost,

    /// <summary><c>api_cost</c>.</summary>
    ApiCost,

    /// <summary><c>resource_consumption</c>.</summary>
    ResourceConsumption,

    /// <summary><c>budget_alert</c>.</summary>
    BudgetAlert,
}
