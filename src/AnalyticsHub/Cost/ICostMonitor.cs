namespace AnalyticsHub.Cost;

/// <summary>The hub's pricing and budgets as a host sees them: the table in use, the counts, each budget's state.</summary>
/// <remarks>Registered by <c>AddAnalyticsHub</c>; thread-safe.</remarks>
public interface ICostMonitor
{
    /// <summary>The calculator (and through it the price table) the <c>cost</c> stage prices with; use it to re-price a range.</summary>
    CostCalculator Calculator { get; }

    /// <summary>Priced and unpriced requests, alerts.</summary>
    CostStatistics Statistics { get; }

    /// <summary>Each budget's latest period: spend, thresholds crossed, forecast.</summary>
    IReadOnlyList<BudgetState> GetBudgetStates();
}
