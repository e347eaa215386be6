using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// Request counts per minute through the hub's episode rules (the default detector, two windows, evidence by volume at
/// 3): the daily ramp of volume is the series' own rhythm once a day has been seen, while a real shift is news even
/// on a series of a few requests a minute.
/// </summary>
public class DailyVolumeEpisodeTests
{
    /// <summary>The minutes (from the origin) at which the stage's episode rules report episodes starting.</summary>
    private static List<int> EpisodeStarts(int[] counts)
    {
        var tracker = new AnomalyEpisodeTracker(
            new DefaultAnomalyDetector(),
            AnomalyDetectorOptions.DefaultThreshold,
            TimeSpan.FromMinutes(5),
            Severity.Warning,
            minimumWindows: 2,
            new VolumeEvidence(AnomalyStatistic.Count),
            minimumEvidence: 3);
        return [.. DailyTraffic.OpenedEpisodes(tracker, counts).Select(DailyTraffic.MinuteOf)];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DailyVolumeRamp_AfterTheFirstDay_RaisesNoEpisode(int seed)
    {
        // Volume ×10 between 02:00 and 14:00 every day: hundreds of requests a minute, so every minute of the ramp is a
        // significant change from the level of the night before; the daily profile knows it from the second day on.
        var counts = DailyTraffic.Counts(days: 3, seed, low: 40, high: 400);

        var starts = EpisodeStarts(counts);

        Assert.DoesNotContain(starts, s => s >= DailyTraffic.MinutesPerDay);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ShiftOnALowVolumeSeries_WithEnoughEvidence_RaisesAnEpisode(int seed)
    {
        // A few requests a minute following the same daily cycle; on the fifth day, from 20:00, eight times the usual
        // volume for an hour and a half (about 44 requests a minute where 5.5 are usual: each minute is over 3 sampling
        // errors away from the expected value even as the daily profile's 5-minute bucket starts to learn it). A fourfold
        // shift is seen by the detector too but its first alarm is not followed by a second anomalous window: the
        // profile's bucket learns the new level within its five minutes (docs/anomalies.md, "What is left").
        var counts = DailyTraffic.Counts(days: 5, seed, low: 1, high: 10);
        var random = new Random(seed + 100);
        var onset = (4 * DailyTraffic.MinutesPerDay) + (20 * 60);
        for (var m = onset; m < onset + 90; m++)
        {
            counts[m] = SyntheticSeries.Poisson(random, 8 * DailyTraffic.Rate(m, 1, 10));
        }

        var starts = EpisodeStarts(counts);

        Assert.Contains(starts, s => s >= onset && s < onset + 30);
        Assert.DoesNotContain(starts, s => s >= DailyTraffic.MinutesPerDay && (s < onset || s >= onset + 90));
    }
}
