namespace AnalyticsHub.Cost;

/// <summary>
/// What a budget knows about one of its periods, as an <see cref="IBudgetStateStore"/> keeps it: the spend counted, the
/// thresholds already alerted and whether the forecast warning went out, so a restarted hub continues the period instead
/// of alerting it again.
/// </summary>
public sealed record BudgetPeriodState
{
    /// <summary>The budget's id (<see cref="BudgetDefinition.Id"/>).</summary>
    public required string BudgetId { get; init; }

    /// <summary>The period's start (inclusive); stores keep it to the tick and return it in UTC.</summary>
    public required DateTimeOffset PeriodStart { get; init; }

    /// <summary>The period's end (exclusive).</summary>
    public required DateTimeOffset PeriodEnd { get; init; }

    /// <summary>The spend counted in the period, in USD.</summary>
    public required double SpendUsd { get; init; }

    /// <summary>The event time of the earliest cost counted in the period.</summary>
    public required DateTimeOffset FirstCostAt { get; init; }

    /// <summary>The event time of the latest cost counted in the period.</summary>
    public required DateTimeOffset LastCostAt { get; init; }

    /// <summary>The thresholds (percent of the limit) already alerted in the period, ascending.</summary>
    public required IReadOnlyList<double> ThresholdsCrossed { get; init; }

    /// <summary>Whether the forecast warning went out in the period.</summary>
    public required bool ForecastWarned { get; init; }

    /// <summary>The problems of this state (empty when valid), each prefixed with <paramref name="path"/>.</summary>
    /// <param name="path">Where the state sits in the caller's input, e.g. <c>[3]</c>.</param>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate(string path)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(BudgetId))
        {
            problems.Add($"{path}.budget_id: empty.");
        }

        if (PeriodEnd <= PeriodStart)
        {
            problems.Add($"{path}.period_end: not after period_start.");
        }

        if (!double.IsFinite(SpendUsd))
        {
            problems.Add($"{path}.spend_usd: not a finite number.");
        }

        if (LastCostAt < FirstCostAt)
        {
            problems.Add($"{path}.last_cost_at: before first_cost_at.");
        }

        if (ThresholdsCrossed is null)
        {
            problems.Add($"{path}.thresholds_crossed: null.");
        }
        else
        {
            for (var i = 0; i < ThresholdsCrossed.Count; i++)
            {
                if (!double.IsFinite(ThresholdsCrossed[i]) || (i > 0 && ThresholdsCrossed[i] <= ThresholdsCrossed[i - 1]))
                {
                    problems.Add(FormattableString.Invariant($"{path}.thresholds_crossed[{i}]: not finite or not ascending."));
                }
            }
        }

        return problems;
    }
}
