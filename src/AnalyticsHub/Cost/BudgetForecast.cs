namespace AnalyticsHub.Cost;

/// <summary>
/// Projects a budget period's spend to its end. With at least one earlier day of history, the remaining
/// hours are priced from the average spend per local hour of day (a daily seasonality profile), scaled by
/// how today runs against that profile (the median ratio over today's completed hours, so one spike does not
/// scale the rest of the day). Without history, a linear rate from the period's first cost.
/// </summary>
internal static class BudgetForecast
{
    public const string HourlyProfile = "hourly_profile";
    public const string Linear = "linear";

    /// <summary>How much of a period must be seen before a linear projection (and at least an hour).</summary>
    public const double LinearMinFraction = 0.05;

    /// <param name="spent">Spend so far in the period.</param>
    /// <param name="periodStart">The period's start (UTC).</param>
    /// <param name="periodEnd">The period's end (UTC).</param>
    /// <param name="firstEvent">The event time of the period's first cost.</param>
    /// <param name="now">The event time to project from (the latest cost seen in the period).</param>
    /// <param name="days">Spend per local day and hour of day (24 buckets), for the days kept.</param>
    /// <param name="zone">The budget's time zone.</param>
    public static (double Projected, string Method)? Project(
        double spent,
        DateTimeOffset periodStart,
        DateTimeOffset periodEnd,
        DateTimeOffset firstEvent,
        DateTimeOffset now,
        IReadOnlyDictionary<DateOnly, double[]> days,
        TimeZoneInfo zone)
    {
        if (now >= periodEnd)
        {
            return (spent, Linear);
        }

        var (today, currentHour) = BudgetCalendar.LocalHour(now, zone);
        var profile = new double[24];
        var history = 0;
        foreach (var (day, hours) in days)
        {
            if (day >= today)
            {
                continue;
            }

            history++;
            for (var h = 0; h < 24; h++)
            {
                profile[h] += hours[h];
            }
        }

        var profileTotal = 0.0;
        for (var h = 0; h < 24; h++)
        {
            profile[h] /= Math.Max(1, history);
            profileTotal += profile[h];
        }

        if (history > 0 && profileTotal > 0)
        {
            var scale = Scale(profile, days.GetValueOrDefault(today), currentHour);
            var remaining = 0.0;
            for (var at = now; at < periodEnd;)
            {
                var next = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero).AddHours(1);
                if (next > periodEnd)
                {
                    next = periodEnd;
                }

                remaining += profile[BudgetCalendar.LocalHour(at, zone).Hour] * ((next - at).Ticks / (double)TimeSpan.TicksPerHour);
                at = next;
            }

            return (spent + (scale * remaining), HourlyProfile);
        }

        var from = firstEvent > periodStart ? firstEvent : periodStart;
        var elapsed = now - from;
        var length = periodEnd - from;
        if (elapsed < TimeSpan.FromHours(1) || elapsed < (periodEnd - periodStart) * LinearMinFraction)
        {
            return null;
        }

        return (spent / elapsed.TotalHours * length.TotalHours, Linear);
    }

    /// <summary>The median of today's spend over the profile's, across today's completed hours; 1 before two are complete.</summary>
    private static double Scale(double[] profile, double[]? today, int currentHour)
    {
        if (today is null)
        {
            return 1;
        }

        Span<double> ratios = stackalloc double[24];
        var n = 0;
        for (var h = 0; h < currentHour; h++)
        {
            if (profile[h] > 0)
            {
                ratios[n++] = today[h] / profile[h];
            }
        }

        if (n < 2)
        {
            return 1;
        }

        ratios = ratios[..n];
        ratios.Sort();
        return n % 2 == 1 ? ratios[n / 2] : (ratios[(n / 2) - 1] + ratios[n / 2]) / 2;
    }
}
