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
    private static readonly AnomalySeriesRule Requests = new() { Metric = "llm_latency.latency_ms", Statistic = AnomalyStatistic.Count };

    /// <summary>The episodes the tracker the stage builds for a request count reports opened.</summary>
    private static List<AnomalyEpisode> Episodes(int[] counts) =>
        DailyTraffic.OpenedEpisodes(AnomalyStage.TrackerFor(new AnomalyStageOptions(), Requests), counts);

    /// <summary>The minutes at which reported episodes start.</summary>
    private static List<int> EpisodeStarts(int[] counts) => [.. Episodes(counts).Select(DailyTraffic.MinuteOf)];

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
        var counts = DailyTraffic.Counts(days: 3, seed, low: 4, high: 40);
        var random = new Random(seed + 100);
        var onset = (2 * DailyTraffic.MinutesPerDay) + 30;
        for (var m = onset; m < onset + 90; m++)
        {
            counts[m] = SyntheticSeries.Poisson(random, 2 * DailyTraffic.Rate(m, 4, 40));
        }

        var episodes = Episodes(counts);

        Assert.Contains(episodes, e => DailyTraffic.MinuteOf(e) >= onset && DailyTraffic.MinuteOf(e) < onset + 90 && e.OpenedByRise);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DailyRhythmAndCountingNoise_OverThreeDays_OpenNoEpisodeAfterTheFirstDay(int seed)
    {
        // The same cycle without a rise: each day is the day before within its Poisson noise, quiet nights included.
        var counts = DailyTraffic.Counts(days: 3, seed, low: 4, high: 40);

        var starts = EpisodeStarts(counts);

        Assert.DoesNotContain(starts, s => s >= DailyTraffic.MinutesPerDay);
    }

    [Fact]
    public void Observe_BeforeADayOfHistory_NeverRises()
    {
        var rise = new DailyVolumeRise(AnomalyStatistic.Count);
        for (var m = 0; m < DailyTraffic.MinutesPerDay; m++)
        {
            // Tenfold after twelve hours: no day before to judge it by.
            var value = m < 720 ? 10.0 : 100.0;
            Assert.Null(rise.Observe(DailyTraffic.Origin.UtcTicks + (m * TimeSpan.TicksPerMinute), value, default, minimumEvidence: 3));
        }
    }

    [Fact]
    public void Observe_InTheFirstRatiosAfterADay_NeverRises_UntilEnoughArePooled()
    {
        // A flat day and an hour, then tenfold: from the second day every minute has its day before, but the ratio's
        // usual level and spread need MinimumLearned minutes before a rise is judged; the same tenfold rise, still going
        // when they are pooled, rises then.
        var rise = new DailyVolumeRise(AnomalyStatistic.Count);
        var flatUntil = DailyTraffic.MinutesPerDay + 60;
        var minute = 0;
        for (; minute < DailyTraffic.MinutesPerDay + DailyVolumeRise.MinimumLearned; minute++)
        {
            var value = minute < flatUntil ? 10.0 : 100.0;
            Assert.Null(rise.Observe(DailyTraffic.Origin.UtcTicks + (minute * TimeSpan.TicksPerMinute), value, default, minimumEvidence: 3));
        }

        var judged = rise.Observe(DailyTraffic.Origin.UtcTicks + (minute * TimeSpan.TicksPerMinute), 100, default, minimumEvidence: 3);

        Assert.NotNull(judged);
    }

    [Fact]
    public void Observe_BeforeEightIndependentWindowsOfRatios_NeverRises()
    {
        // A flat day and an hour, then a lasting rise of a quarter (45 minutes of 25 where 20 are usual: five Poisson
        // errors, a log ratio of 0.22 against a spread still at its floor of 0.05). Two hours of ratios after the day
        // (the earlier minimum) are 2.7 independent windows of 45 minutes, too few to know the ratio's wander, so nothing
        // rises until eight windows' worth (six hours) were pooled: the first hours of the second day were where the
        // simulator's false rises were (docs/anomalies.md, "the rise's first hours").
        var rise = new DailyVolumeRise(AnomalyStatistic.Count);
        var flatUntil = DailyTraffic.MinutesPerDay + 60;
        for (var minute = 0; minute < DailyTraffic.MinutesPerDay + (8 * DailyVolumeRise.WindowMinutes); minute++)
        {
            var value = minute < flatUntil ? 20.0 : 25.0;
            Assert.Null(rise.Observe(DailyTraffic.Origin.UtcTicks + (minute * TimeSpan.TicksPerMinute), value, default, minimumEvidence: 3));
        }
    }

    [Fact]
    public void Observe_AfterConstruction_AllocatesNothing()
    {
        var rise = new DailyVolumeRise(AnomalyStatistic.Count);
        var random = new Random(7);
        for (var m = 0; m < 2 * DailyTraffic.MinutesPerDay; m++)
        {
            rise.Observe(DailyTraffic.Origin.UtcTicks + (m * TimeSpan.TicksPerMinute), SyntheticSeries.Poisson(random, 20), default, 3);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var m = 2 * DailyTraffic.MinutesPerDay; m < 3 * DailyTraffic.MinutesPerDay; m++)
        {
            rise.Observe(DailyTraffic.Origin.UtcTicks + (m * TimeSpan.TicksPerMinute), m % 90 < 45 ? 40 : 20, default, 3);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
