namespace AnalyticsHub.Cost;

/// <summary>
/// A spending limit for the costs that match its scope (tenant, team, model, environment, tags) per day,
/// week or month in a time zone; alerts at its thresholds and warns when the period-end forecast crosses the limit.
/// </summary>
/// <remarks>Bindable from configuration: settable properties; <see langword="null"/> means "any" for a scope and the default for a list.</remarks>
public sealed class BudgetDefinition
{
    /// <summary>The default thresholds, in percent of the limit.</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = [50, 80, 95, 100];

    /// <summary>The budget's id, written as <c>budget_id</c> into its alerts; required and unique.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The display name; the id when absent.</summary>
    public string? Name { get; set; }

    /// <summary>The limit per period in USD; must be positive.</summary>
    public double LimitUsd { get; set; }

    /// <summary>The period; <see cref="BudgetPeriod.Month"/> by default.</summary>
    public BudgetPeriod Period { get; set; } = BudgetPeriod.Month;

    /// <summary>The time zone of the period boundaries, an IANA or Windows id; <c>UTC</c> by default.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Thresholds in percent of the limit (may exceed 100); <see cref="DefaultThresholds"/> when <see langword="null"/>.</summary>
    public double[]? Thresholds { get; set; }

    /// <summary>Counts only costs whose <c>tenant</c> tag is this; any tenant when <see langword="null"/>.</summary>
    public string? Tenant { get; set; }

    /// <summary>Counts only costs whose <c>team</c> tag is this; any team when <see langword="null"/>.</summary>
    public string? Team { get; set; }

    /// <summary>Counts only costs of this model (aliases and dated ids of the price table included); any model when <see langword="null"/>.</summary>
    public string? Model { get; set; }

    /// <summary>Counts only costs of this environment; any environment when <see langword="null"/>.</summary>
    public string? Environment { get; set; }

    /// <summary>Further tags a cost must carry with these values.</summary>
    public Dictionary<string, string>? Tags { get; set; }

    /// <summary>Whether to warn once per period when the forecast crosses the limit; <see langword="true"/> by default.</summary>
    public bool Forecast { get; set; } = true;

    // A zone given directly (tests build zones without the system database); wins over TimeZone. A field, so
    // configuration binding leaves it alone.
    internal TimeZoneInfo? Zone;

    internal TimeZoneInfo? ResolveZone() => Zone ?? FindZone(TimeZone);

    internal void Validate(string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(Id))
        {
            problems.Add($"{where}.Id is required.");
        }

        if (!(LimitUsd > 0) || !double.IsFinite(LimitUsd))
        {
            problems.Add($"{where}.LimitUsd must be a positive number of USD; it is {LimitUsd}.");
        }

        if (!Enum.IsDefined(Period))
        {
            problems.Add($"{where}.Period {(int)Period} is not a period; use Day, Week or Month.");
        }

        if (ResolveZone() is null)
        {
            problems.Add($"{where}.TimeZone '{TimeZone}' is not a known time zone.");
        }

        if (Thresholds is { } thresholds)
        {
            if (thresholds.Length is 0 or > 30)
            {
                problems.Add($"{where}.Thresholds must list 1 to 30 percentages; it lists {thresholds.Length}.");
            }

            foreach (var threshold in thresholds)
            {
                if (!(threshold > 0) || !double.IsFinite(threshold))
                {
                    problems.Add($"{where}.Thresholds: {threshold} is not a positive percentage.");
                }
            }

            if (thresholds.Distinct().Count() != thresholds.Length)
            {
                problems.Add($"{where}.Thresholds lists a percentage twice.");
            }
        }
    }

    internal static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
