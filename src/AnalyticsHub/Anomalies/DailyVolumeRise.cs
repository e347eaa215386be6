using AnalyticsHub.Statistics;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// A sustained rise of a volume series (a <c>count</c>, a <c>sum</c>, or a <c>mean</c> of rates) over the same minutes
/// of the day before, judged over the last <see cref="WindowMinutes"/> minutes: what a weak rise too small for any one
/// minute (a surge of a few requests a minute at night) shows over the better part of an hour.
/// </summary>
/// <remarks>
/// <para>Each scored minute is kept for a day (its value and the events it stands for: a count's value, a sum's number of
/// values, a mean of rates' implied events). At minute t the series' volume over the last <see cref="WindowMinutes"/>
/// minutes is compared with the same minutes a day earlier, over the minutes both days have: the log ratio
/// L = ln(X / Y) of the values. A series' own L wanders from day to day (its traffic's slow drift); its usual level and
/// spread are pooled over every minute (an average with a half-life of <see cref="SpreadHalfLifeMinutes"/>
/// minutes; the spread a robust mean absolute deviation, each deviation taken at most at the bound, and at least
/// <see cref="SpreadFloor"/>). A minute <b>rises</b> once <see cref="MinimumLearned"/> ratios were pooled, when L exceeds
/// its usual level by at least <see cref="MinimumSpreads"/> spreads and the events over the same minutes rose by at least
/// the minimum evidence in Poisson errors, (E_X − E_Y) / √(E_X + E_Y): a rise beyond both the day-to-day wander and the
/// counting noise. So nothing rises before a series has a day and six hours of history.</para>
/// <para>Memory: three arrays of a day of minutes (about 35 KB) and five rings of <see cref="WindowMinutes"/> minutes, fixed at
/// construction; an update reads the ring (no allocation). Not thread-safe: one writer per series.</para>
/// </remarks>
internal sealed class DailyVolumeRise
{
    /// <summary>The minutes summed on each day.</summary>
    public const int WindowMinutes = 45;

    /// <summary>The spreads of the day-to-day log ratio a rise must exceed.</summary>
    public const double MinimumSpreads = 3;

    /// <summary>The smallest spread of the log ratio (a 5 % wander), so a series that never wandered is not judged by noise alone.</summary>
    public const double SpreadFloor = 0.05;

    /// <summary>
    /// The independent windows of <see cref="WindowMinutes"/> minutes whose ratios are pooled before the spread is trusted:
    /// the ratios of consecutive minutes share all but one of their minutes, so a spread pooled over n minutes rests on about
    /// n / <see cref="WindowMinutes"/> independent ratios, and a mean absolute deviation of k of them is off by about
    /// 0.75 / √k of itself; with 8 that is a quarter, where 120 minutes (2.7 windows) left it off by nearly half.
    /// </summary>
    public const int MinimumIndependentWindows = 8;

    /// <summary>The ratios pooled before the spread is trusted: <see cref="MinimumIndependentWindows"/> windows of <see cref="WindowMinutes"/> minutes.</summary>
    public const int MinimumLearned = MinimumIndependentWindows * WindowMinutes;

    /// <summary>The half-life, in minutes, of the ratio's usual level and spread.</summary>
    public const double SpreadHalfLifeMinutes = 720;

    private const int Day = 1_440;
    private static readonly double Rate = 1 - Math.Pow(0.5, 1.0 / SpreadHalfLifeMinutes);

    private readonly long[] _minute = new long[Day];
    private readonly double[] _value = new double[Day];
    private readonly double[] _events = new double[Day];
    private readonly long[] _ringMinute = new long[WindowMinutes];
    private readonly double[] _ringToday = new double[WindowMinutes];
    private readonly double[] _ringTodayEvents = new double[WindowMinutes];
    private readonly double[] _ringYesterday = new double[WindowMinutes];
    private readonly double[] _ringYesterdayEvents = new double[WindowMinutes];
    private readonly AnomalyStatistic _statistic;
    private readonly double _rateWindowSeconds;
    private double _level;
    private double _spread = SpreadFloor;
    private int _learned;

    /// <summary>The memory of the rise's state (a day of minutes and the rings of the last minutes), for memory accounting.</summary>
    public const int StateSizeBytes = (3 * Day * sizeof(long)) + (5 * WindowMinutes * sizeof(long)) + (4 * sizeof(double));

    /// <summary>The rise of a series of <paramref name="statistic"/>; a <c>mean</c> of rates per second over windows of <paramref name="rateWindowSeconds"/> counts the events they imply.</summary>
    public DailyVolumeRise(AnomalyStatistic statistic, double rateWindowSeconds = 0)
    {
        _statistic = statistic;
        _rateWindowSeconds = rateWindowSeconds;
        Array.Fill(_minute, long.MinValue);
        Array.Fill(_ringMinute, long.MinValue);
    }

    /// <summary>Whether a series of <paramref name="rule"/> is a volume series this rise can judge (a count, a sum, a mean of rates).</summary>
    public static bool Judges(AnomalySeriesRule rule) =>
        rule.Statistic is AnomalyStatistic.Count or AnomalyStatistic.Sum
        || (rule.Statistic == AnomalyStatistic.Mean && rule.RateWindowSeconds > 0);

    /// <summary>
    /// Takes the window that starts at <paramref name="startTicks"/> (its <paramref name="value"/> and its values
    /// <paramref name="window"/>) and judges the last <see cref="WindowMinutes"/> minutes against the day before.
    /// </summary>
    /// <returns>The rise when the minute rises (its evidence at least <paramref name="minimumEvidence"/>), else null.</returns>
    public Rise? Observe(long startTicks, double value, in StreamingStats window, double minimumEvidence)
    {
        var minute = startTicks / TimeSpan.TicksPerMinute;
        if (!double.IsFinite(value))
        {
            return null;
        }

        var events = _statistic switch
        {
            AnomalyStatistic.Count => value,
            AnomalyStatistic.Mean => _rateWindowSeconds * window.Count * value,
            _ => window.Count,
        };
        var slot = (int)(minute % Day);
        var hasYesterday = _minute[slot] == minute - Day;
        var ring = (int)(minute % WindowMinutes);
        _ringMinute[ring] = hasYesterday ? minute : long.MinValue;
        _ringToday[ring] = value;
        _ringTodayEvents[ring] = events;
        _ringYesterday[ring] = hasYesterday ? _value[slot] : 0;
        _ringYesterdayEvents[ring] = hasYesterday ? _events[slot] : 0;
        _minute[slot] = minute;
        _value[slot] = value;
        _events[slot] = events;
        if (!hasYesterday)
        {
            return null;
        }

        double today = 0, yesterday = 0, todayEvents = 0, yesterdayEvents = 0;
        for (var i = 0; i < WindowMinutes; i++)
        {
            if (_ringMinute[i] > minute - WindowMinutes)
            {
                today += _ringToday[i];
                yesterday += _ringYesterday[i];
                todayEvents += _ringTodayEvents[i];
                yesterdayEvents += _ringYesterdayEvents[i];
            }
        }

        if (!(today > 0 && yesterday > 0))
        {
            return null;
        }

        var ratio = Math.Log(today / yesterday);
        var evidence = todayEvents + yesterdayEvents > 0 ? (todayEvents - yesterdayEvents) / Math.Sqrt(todayEvents + yesterdayEvents) : 0.0;
        var spreads = (ratio - _level) / Math.Max(_spread, SpreadFloor);
        if (_learned >= MinimumLearned && spreads >= MinimumSpreads && evidence >= minimumEvidence)
        {
            // The value the minute would have at the usual ratio to the day before, and the band of usual ratios.
            var minutes = Math.Max(1, CountOf(minute));
            var usual = today / Math.Exp(ratio - _level) / minutes;
            var width = Math.Exp(MinimumSpreads * Math.Max(_spread, SpreadFloor));
            Learn(ratio);
            return new Rise(Math.Max(1, Math.Min(spreads / MinimumSpreads, evidence / Math.Max(minimumEvidence, 1))), evidence, today / minutes, usual, usual / width, usual * width);
        }

        Learn(ratio);
        return null;
    }

    /// <summary>
    /// Pools the ratio into the usual level and spread, a rising one too (a lasting change of the series' share of the day
    /// is absorbed within hours, not kept as a rise for the rest of the day); the spread takes each deviation at most at
    /// the bound, so a rise does not widen it by more than a spread per minute.
    /// </summary>
    private void Learn(double ratio)
    {
        if (_learned == 0)
        {
            _level = ratio;
        }
        else
        {
            var deviation = Math.Min(1.2533 * Math.Abs(ratio - _level), MinimumSpreads * Math.Max(_spread, SpreadFloor));
            _level += Rate * (ratio - _level);
            _spread += Rate * (deviation - _spread);
        }

        _learned++;
    }

    private int CountOf(long minute)
    {
        var count = 0;
        for (var i = 0; i < WindowMinutes; i++)
        {
            if (_ringMinute[i] > minute - WindowMinutes)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// A rising minute: its strength as a ratio to the bound (at least 1), its evidence in Poisson errors, the mean value a
    /// minute over the last <see cref="WindowMinutes"/> minutes, and the usual value a minute (the day before's at the usual
    /// ratio) with its band of usual ratios.
    /// </summary>
    public readonly record struct Rise(double Ratio, double Evidence, double Observed, double Expected, double Lower, double Upper)
    {
        /// <summary>The calibrated score of the rise, ratio / (1 + ratio), as the detector's (at least 0.5).</summary>
        public double Score => Ratio / (1 + Ratio);
    }
}
