namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Tick arithmetic for the simulator's timeline (UTC ticks).</summary>
internal static class SimTime
{
    public const long Second = TimeSpan.TicksPerSecond;
    public const long Minute = TimeSpan.TicksPerMinute;
    public const long Hour = TimeSpan.TicksPerHour;
    public const long Day = TimeSpan.TicksPerDay;

    public static long FromSeconds(double seconds) => (long)Math.Round(seconds * Second);

    public static long FromMinutes(double minutes) => (long)Math.Round(minutes * Minute);

    public static DateTimeOffset ToOffset(long ticks) => new(ticks, TimeSpan.Zero);

    public static double Seconds(long ticks) => ticks / (double)Second;

    /// <summary>Hour of the UTC day as a fraction, 0..24.</summary>
    public static double HourOfDay(long ticks) => (ticks % Day) / (double)Hour;

    /// <summary>Whether the UTC day is a Saturday or Sunday.</summary>
    public static bool IsWeekend(long ticks)
    {
        // 0001-01-01 was a Monday.
        var dayOfWeek = (int)((ticks / Day) % 7);
        return dayOfWeek >= 5;
    }

    /// <summary>The daily and weekly shape of interactive traffic: 0.1 at 02:00 UTC, 1.0 at 14:00, weekends at 60%.</summary>
    public static double Shape(long ticks)
    {
        var daily = 0.55 + (0.45 * Math.Cos(2 * Math.PI * (HourOfDay(ticks) - 14) / 24));
        return IsWeekend(ticks) ? daily * 0.6 : daily;
    }
}
