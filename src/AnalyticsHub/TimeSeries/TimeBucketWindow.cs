using System.Globalization;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// A parsed time-bucket width: a positive integer and a unit, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c> or
/// <c>w</c> (<c>30s</c>, <c>1m</c>, <c>5m</c>, <c>15m</c>, <c>1h</c>, <c>6h</c>, <c>1d</c>, <c>1w</c>).
/// </summary>
/// <remarks>
/// Buckets align to the Unix epoch in UTC; whole weeks align to Monday 00:00 UTC (decision 15).
/// Calendar months (<c>1M</c>) have no fixed width and are not bucket windows.
/// </remarks>
public readonly record struct TimeBucketWindow
{
    /// <summary>The widest window accepted: 366 days.</summary>
    public static readonly TimeSpan MaxWidth = TimeSpan.FromDays(366);

    private static readonly long MondayOriginTicks = new DateTimeOffset(1970, 1, 5, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    private TimeBucketWindow(long ticks, long originTicks)
    {
        Ticks = ticks;
        OriginTicks = originTicks;
    }

    /// <summary>The width in 100 ns ticks.</summary>
    public long Ticks { get; }

    /// <summary>The instant (UTC ticks) buckets align to.</summary>
    public long OriginTicks { get; }

    /// <summary>The width.</summary>
    public TimeSpan Width => TimeSpan.FromTicks(Ticks);

    /// <summary>Parses a window string.</summary>
    /// <param name="text">The window, e.g. <c>5m</c>.</param>
    /// <param name="window">The window when valid.</param>
    /// <param name="error">Why the text is not a window, otherwise <see langword="null"/>.</param>
    /// <returns>Whether the text is a valid window.</returns>
    public static bool TryParse(string? text, out TimeBucketWindow window, out string? error)
    {
        window = default;
        const string Expected = "expected a positive integer and a unit s, m, h, d or w, e.g. 30s, 5m, 1h, 1d, 1w";
        if (string.IsNullOrEmpty(text) || text.Length < 2)
        {
            error = $"Invalid window '{text}': {Expected}.";
            return false;
        }

        var unit = text[^1];
        long unitTicks = unit switch
        {
            's' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMinute,
            'h' => TimeSpan.TicksPerHour,
            'd' => TimeSpan.TicksPerDay,
            'w' => TimeSpan.TicksPerDay * 7,
            _ => 0,
        };
        if (unit == 'M')
        {
            error = $"Invalid window '{text}': calendar months have no fixed width; use days or weeks.";
            return false;
        }

        var digits = text.AsSpan(0, text.Length - 1);
        if (unitTicks == 0 || digits.ContainsAnyExceptInRange('0', '9')
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            error = $"Invalid window '{text}': {Expected}.";
            return false;
        }

        if (count > MaxWidth.Ticks / unitTicks)
        {
            error = $"Invalid window '{text}': the widest window is 366 days.";
            return false;
        }

        var ticks = count * unitTicks;
        var weekTicks = TimeSpan.TicksPerDay * 7;
        var origin = ticks % weekTicks == 0 ? MondayOriginTicks : DateTimeOffset.UnixEpoch.UtcTicks;
        window = new TimeBucketWindow(ticks, origin);
        error = null;
        return true;
    }

    /// <summary>The start (UTC ticks) of the bucket holding an instant.</summary>
    /// <param name="utcTicks">The instant in UTC ticks.</param>
    /// <returns>The bucket's start in UTC ticks.</returns>
    public long BucketStart(long utcTicks)
    {
        var offset = utcTicks - OriginTicks;
        var index = offset >= 0 ? offset / Ticks : ((offset + 1) / Ticks) - 1;
        return OriginTicks + (index * Ticks);
    }
}
