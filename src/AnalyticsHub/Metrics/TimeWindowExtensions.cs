using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using AnalyticsHub.Events;

namespace AnalyticsHub.Metrics;

/// <summary>Sizes, labels and alignment of <see cref="TimeWindow"/> values.</summary>
/// <remarks>
/// Alignment follows decision 15: <see cref="TimeWindow.OneMinute"/> ... <see cref="TimeWindow.OneDay"/>
/// are multiples of their size from the Unix epoch (UTC); <see cref="TimeWindow.OneWeek"/> starts
/// on Monday 00:00 UTC (1970-01-01 was a Thursday, so weeks are anchored at 1970-01-05);
/// <see cref="TimeWindow.OneMonth"/> is the calendar month in UTC, whatever its length.
/// </remarks>
public static class TimeWindowExtensions
{
    private const long EpochTicks = 621_355_968_000_000_000; // DateTime.UnixEpoch.Ticks
    private const long MondayAnchorTicks = EpochTicks + (4 * TimeSpan.TicksPerDay); // 1970-01-05, a Monday
    private const long MaxTicks = 3_155_378_975_999_999_999; // DateTime.MaxValue.Ticks

    /// <summary>Gets every window, finest first.</summary>
    public static IReadOnlyList<TimeWindow> All { get; } =
    [
        TimeWindow.OneMinute, TimeWindow.FiveMinutes, TimeWindow.FifteenMinutes, TimeWindow.OneHour,
        TimeWindow.SixHours, TimeWindow.OneDay, TimeWindow.OneWeek, TimeWindow.OneMonth,
    ];

    /// <summary>Returns the nominal size of the window in seconds, as the spec's <c>to_seconds</c> (a month is a fixed 30 days).</summary>
    /// <param name="window">The window.</param>
    /// <returns>The size in seconds.</returns>
    public static long ToSeconds(this TimeWindow window) => window switch
    {
        TimeWindow.OneMinute => 60,
        TimeWindow.FiveMinutes => 300,
        TimeWindow.FifteenMinutes => 900,
        TimeWindow.OneHour => 3_600,
        TimeWindow.SixHours => 21_600,
        TimeWindow.OneDay => 86_400,
        TimeWindow.OneWeek => 604_800,
        TimeWindow.OneMonth => 2_592_000,
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown time window."),
    };

    /// <summary>Returns the short label the database stores (the spec's <c>as_str</c>): 1m, 5m, 15m, 1h, 6h, 1d, 1w, 1M.</summary>
    /// <param name="window">The window.</param>
    /// <returns>The label.</returns>
    public static string ToLabel(this TimeWindow window) => window switch
    {
        TimeWindow.OneMinute => "1m",
        TimeWindow.FiveMinutes => "5m",
        TimeWindow.FifteenMinutes => "15m",
        TimeWindow.OneHour => "1h",
        TimeWindow.SixHours => "6h",
        TimeWindow.OneDay => "1d",
        TimeWindow.OneWeek => "1w",
        TimeWindow.OneMonth => "1M",
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown time window."),
    };

    /// <summary>Reads a short label (case-sensitive: <c>1m</c> is a minute, <c>1M</c> a month).</summary>
    /// <param name="label">The label.</param>
    /// <param name="window">The window, when recognised.</param>
    /// <returns>Whether the label names a window.</returns>
    public static bool TryParseLabel([NotNullWhen(true)] string? label, out TimeWindow window)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToLabel(), label, StringComparison.Ordinal))
            {
                window = candidate;
                return true;
            }
        }

        window = default;
        return false;
    }

    /// <summary>Returns the start of the window that contains an instant.</summary>
    /// <param name="window">The window.</param>
    /// <param name="instant">Any instant; it is taken in UTC.</param>
    /// <returns>The window's first instant, in UTC.</returns>
    public static DateTimeOffset GetWindowStart(this TimeWindow window, DateTimeOffset instant) =>
        new(AlignStartTicks(window, instant.UtcTicks), TimeSpan.Zero);

    /// <summary>Returns the window (as a <c>[start, end)</c> range) that contains an instant.</summary>
    /// <param name="window">The window.</param>
    /// <param name="instant">Any instant; it is taken in UTC.</param>
    /// <returns>The range of the window.</returns>
    public static TimeRange GetWindowRange(this TimeWindow window, DateTimeOffset instant)
    {
        var start = AlignStartTicks(window, instant.UtcTicks);
        return new TimeRange(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(NextStartTicks(window, start), TimeSpan.Zero));
    }

    /// <summary>Whether every window of <paramref name="inner"/> lies inside one window of <paramref name="outer"/>, so that outer windows are exact merges of inner ones.</summary>
    /// <param name="inner">The finer window.</param>
    /// <param name="outer">The coarser window.</param>
    /// <returns>
    /// <see langword="true"/> when <paramref name="inner"/> is finer and nests: every window nests
    /// in the coarser ones except that weeks do not nest in months.
    /// </returns>
    public static bool NestsIn(this TimeWindow inner, TimeWindow outer) =>
        inner < outer && !(inner == TimeWindow.OneWeek && outer == TimeWindow.OneMonth);

    /// <summary>The first tick (UTC) of the window containing <paramref name="utcTicks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long AlignStartTicks(TimeWindow window, long utcTicks)
    {
        switch (window)
        {
            case TimeWindow.OneWeek:
                return utcTicks - FloorMod(utcTicks - MondayAnchorTicks, 7 * TimeSpan.TicksPerDay);
            case TimeWindow.OneMonth:
                var date = new DateTime(utcTicks, DateTimeKind.Utc);
                return new DateTime(date.Year, date.Month, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
            default:
                return utcTicks - FloorMod(utcTicks - EpochTicks, window.ToSeconds() * TimeSpan.TicksPerSecond);
        }
    }

    /// <summary>The first tick of the window after the one starting at <paramref name="startTicks"/> (clamped to the largest tick).</summary>
    internal static long NextStartTicks(TimeWindow window, long startTicks)
    {
        if (window == TimeWindow.OneMonth)
        {
            var date = new DateTime(startTicks, DateTimeKind.Utc);
            return date.Year == 9999 && date.Month == 12 ? MaxTicks : date.AddMonths(1).Ticks;
        }

        var size = window == TimeWindow.OneWeek ? 7 * TimeSpan.TicksPerDay : window.ToSeconds() * TimeSpan.TicksPerSecond;
        return startTicks > MaxTicks - size ? MaxTicks : startTicks + size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long FloorMod(long value, long divisor)
    {
        var remainder = value % divisor;
        return remainder < 0 ? remainder + divisor : remainder;
    }
}
