using AnalyticsHub.Anomalies;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// A sustained rise of a volume series over the same minutes the day before (<see cref="DailyVolumeRise"/>), through the
/// tracker the stage builds for a request count: a night-time surge too weak for any one minute opens an episode, the
/// series' own daily rhythm and its counting noise do not.
/// </summary>
public class DailyVolumeRiseTests
{
    private const int MinutesPerDay = 1440;
    private static readonly DateTimeOffset Origin = new(2026, 3, 9, 0, 0, 0, TimeSpan.Zero);
    private static readonly AnomalySeriesRule Requests = new() { Metric = "llm_latency.latency_ms", Statistic = AnomalyStatistic.Count };

    /// <summary>Requests a minute: lowest at 02:00, highest at 14:00 (the simulator's cosine), <paramref name="low"/> to <paramref name="high"/>.</summary>
    private static double DailyRate(int minute, double low, double high)
    {
        var phase = 2 * Math.PI * ((minute % MinutesPerDay) - 120) / MinutesPerDay;
        return low + ((high - low) * (1 - Math.Cos(phase)) / 2);
    }

    private sealed class OpenedEpisodes : IAnomalyEpisodeSink
    {
        public List<AnomalyEpisode> Episodes { get; } = [];

        public void Opened(AnomalyEpisode episode) => Episodes.Add(episode);

        public void Closed(AnomalyEpisode episode)
        {
        }
    }

    /// <summary>Feeds one count a minute through the tracker the stage builds for a request count; the episodes it reported opened.</summary>
    private static List<AnomalyEpisode> Episodes(int[] counts)
    {
        var tracker = AnomalyStage.TrackerFor(new AnomalyStageOptions(), Requests);
        var sink = new OpenedEpisodes();
        for (var i = 0; i < counts.Length; i++)
        {
            var start = Origin.UtcTicks + (i * TimeSpan.TicksPerMinute);
            tracker.Add(start, start + TimeSpan.TicksPerMinute, counts[i], default(StreamingStats), sink);
        }

        return sink.Episodes;
    }

    private static int MinuteOf(AnomalyEpisode episode) => (int)((episode.StartTicks - Origin.UtcTicks) / TimeSpan.TicksPerMinute);

    /// <summary>The minutes at which reported episodes start.</summary>
    private static List<int> EpisodeStarts(int[] counts) => [.. Episodes(counts).Select(MinuteOf)];

    private static int[] DailyCounts(int days, int seed, double low, double high)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, days * MinutesPerDay).Select(m => SyntheticSeries.Poisson(random, DailyRate(m, low, high)))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void NightTimeDoublingOfTraffic_OverTheDayBefore_OpensAnEpisode(int seed)
    {
        // Four requests a minute at night, forty at the day's top. On the third night, from 00:30 for an hour and a half,
        // the traffic doubles (eight requests a minute where four are usual, two Poisson errors a minute, and the
        // detector's calibration holds the day's far larger deviations): over 45 minutes it is 360 requests where 180 are
        // usual, nine errors, and a log ratio of 0.69 against a night-time spread of about 0.13 (×1.5, a log ratio of 0.41,
        // is at the bound: it rose on one seed of three). On the simulator's hard tier the stage's rules without the rise over the day before open
        // no episode on such a surge (docs/anomalies.md, "Issue 28, the night-time surge").
        var counts = DailyCounts(days: 3, seed, low: 4, high: 40);
        var random = new Random(seed + 100);
        var onset = (2 * MinutesPerDay) + 30;
        for (var m = onset; m < onset + 90; m++)
        {
            counts[m] = SyntheticSeries.Poisson(random, 2 * DailyRate(m, 4, 40));
        }

        var episodes = Episodes(counts);

        Assert.Contains(episodes, e => MinuteOf(e) >= onset && MinuteOf(e) < onset + 90 && e.OpenedByRise);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DailyRhythmAndCountingNoise_OverThreeDays_OpenNoEpisodeAfterTheFirstDay(int seed)
    {
        // The same cycle without a rise: each day is the day before within its Poisson noise, quiet nights included.
        var counts = DailyCounts(days: 3, seed, low: 4, high: 40);

        var starts = EpisodeStarts(counts);

        Assert.DoesNotContain(starts, s => s >= MinutesPerDay);
    }

    [Fact]
    public void Observe_BeforeADayOfHistory_NeverRises()
    {
        var rise = new DailyVolumeRise(AnomalyStatistic.Count);
        for (var m = 0; m < MinutesPerDay; m++)
        {
            // Tenfold after twelve hours: no day before to judge it by.
            var value = m < 720 ? 10.0 : 100.0;
            Assert.Null(rise.Observe(Origin.UtcTicks + (m * TimeSpan.TicksPerMinute), value, default, minimumEvidence: 3));
        }
    }

    [Fact]
    public void Observe_InTheFirstRatiosAfterADay_NeverRises_UntilEnoughArePooled()
    {
        // A flat day and an hour, then tenfold: from the second day every minute has its day before, but the ratio's
        // usual level and spread need MinimumLearned minutes before a rise is judged; the same tenfold rise, still going
        // when they are pooled, rises then.
        var rise = new DailyVolumeRise(AnomalyStatistic.Count);
        var flatUntil = MinutesPerDay + 60;
        var minute = 0;
        for (; minute < MinutesPerDay + DailyVolumeRise.MinimumLearned; minute++)
        {
            var value = minute < flatUntil ? 10.0 : 100.0;
            Assert.Null(rise.Observe(Origin.UtcTicks + (minute * TimeSpan.TicksPerMinute), value, default, minimumEvidence: 3));
        }

        var judged = rise.Observe(Origin.UtcTicks + (minute * TimeSpan.TicksPerMinute), 100, default, minimumEvidence: 3);

        Assert.NotNull(judged);
    }

    [Fact]
    public void Observe_AfterConstruction_AllocatesNothing()
    {
        var rise = new DailyVolumeRise(AnomalyStatistic.Count);
        var random = new Random(7);
        for (var m = 0; m < 2 * MinutesPerDay; m++)
        {
            rise.Observe(Origin.UtcTicks + (m * TimeSpan.TicksPerMinute), SyntheticSeries.Poisson(random, 20), default, 3);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var m = 2 * MinutesPerDay; m < 3 * MinutesPerDay; m++)
        {
            rise.Observe(Origin.UtcTicks + (m * TimeSpan.TicksPerMinute), m % 90 < 45 ? 40 : 20, default, 3);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
