namespace AnalyticsHub.Cost;

/// <summary>Budget period boundaries and local hours in a time zone, daylight-saving changes included.</summary>
internal static class BudgetCalendar
{
    /// <summary>The period that holds <paramref name="at"/>: [start, end) in UTC.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) PeriodOf(DateTimeOffset at, BudgetPeriod period, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime.Date;
        var start = period switch
        {
            BudgetPeriod.Day => local,
            BudgetPeriod.Week => local.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
            _ => new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified),
        };
        var end = period switch
        {
            BudgetPeriod.Day => start.AddDays(1),
            BudgetPeriod.Week => start.AddDays(7),
            _ => start.AddMonths(1),
        };
        return (ToUtc(start, zone), ToUtc(end, zone));
    }

    /// <summary>The instant a local wall-clock time names: a time skipped by a clock change moves to when the clock resumes; a repeated time is its first occurrence.</summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The local day and hour of day (0..23) of <paramref name="at"/>.</summary>
    public static (DateOnly Day, int Hour) LocalHour(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = ReferenceEquals(zone, TimeZoneInfo.Utc) ? at.UtcDateTime : TimeZoneInfo.ConvertTime(at, zone).DateTime;
        return (DateOnly.FromDateTime(local), local.Hour);
    }

    /// <summary>Names a period by its local start, e.g. <c>2026-03-08</c> or <c>2026-03</c>.</summary>
    public static string Name(DateTimeOffset start, BudgetPeriod period, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        return local.ToString(period == BudgetPeriod.Month ? "yyyy-MM" : "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }
}
