namespace AnalyticsHub.Cost;

/// <summary>The length of a budget's period, in the budget's time zone.</summary>
public enum BudgetPeriod
{
    /// <summary>A calendar day, local midnight to midnight (23 or 25 hours on daylight-saving changes).</summary>
    Day,

    /// <summary>A week from Monday 00:00 local time.</summary>
    Week,

    /// <summary>A calendar month from the 1st, 00:00 local time.</summary>
    Month,
}
