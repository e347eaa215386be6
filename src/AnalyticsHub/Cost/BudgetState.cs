namespace AnalyticsHub.Cost;

/// <summary>Where a budget stands in its latest period: spend, thresholds crossed and the forecast.</summary>
public sealed record BudgetState
{
    /// <summary>The budget's id.</summary>
    public required string BudgetId { get; init; }

    /// <summary>The budget's display name.</summary>
    public required string BudgetName { get; init; }

    /// <summary>The budget's period kind.</summary>
    public required BudgetPeriod Period { get; init; }

    /// <summary>The limit per period in USD.</summary>
    public required double LimitUsd { get; init; }

    /// <summary>The start of the latest period that saw spend (UTC); <see langword="null"/> before any.</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>The end of that period (exclusive, UTC).</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>The spend counted in the period, in USD.</summary>
    public required double SpendUsd { get; init; }

    /// <summary><see cref="SpendUsd"/> in percent of the limit.</summary>
    public double PercentUsed => SpendUsd / LimitUsd * 100;

    /// <summary>The thresholds alerted in the period, ascending.</summary>
    public required IReadOnlyList<double> ThresholdsCrossed { get; init; }

    /// <summary>The projected spend at the period's end, when there is enough history to project.</summary>
    public double? ProjectedSpendUsd { get; init; }

    /// <summary>How <see cref="ProjectedSpendUsd"/> was made: <c>hourly_profile</c> or <c>linear</c>.</summary>
    public string? ForecastMethod { get; init; }

    /// <summary>Whether the forecast warning was sent in the period.</summary>
    public required bool ForecastWarned { get; init; }

    /// <summary>Cost events too late for any period still kept (older than the oldest kept period), not counted.</summary>
    public required long LateEventsDropped { get; init; }
}
