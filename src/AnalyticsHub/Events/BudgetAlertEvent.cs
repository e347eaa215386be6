namespace AnalyticsHub.Events;

/// <summary>A budget crossed one of its thresholds.</summary>
public sealed record BudgetAlertEvent : CostPayload
{
    /// <inheritdoc/>
    public override CostType CostType => CostType.BudgetAlert;

    /// <summary>The budget.</summary>
    public required string BudgetId { get; init; }

    /// <summary>The budget's display name.</summary>
    public required string BudgetName { get; init; }

    /// <summary>The budget's limit in USD.</summary>
    public required double BudgetLimitUsd { get; init; }

    /// <summary>Spend so far in the period in USD.</summary>
    public required double CurrentSpendUsd { get; init; }

    /// <summary>The threshold crossed, in percent of the limit; may exceed 100.</summary>
    public required double ThresholdPercent { get; init; }

    /// <summary>How far the budget is consumed.</summary>
    public required BudgetAlertType AlertType { get; init; }
}
