using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Anomalies;

/// <summary>
/// Request counts per minute through the hub's episode rules (the default detector, two windows, evidence by volume at
/// 3): the daily ramp of volume is the series' own rhythm once a day has been seen, while a real shift is news even
/// on a series of a few requests a minute.
/// </summary>
public class DailyVolumeEpisodeTests
{
    private const int MinutesPerDay = 1440;
    private static readonly DateTimeOffset Origin = new(2026, 3, 9, 0, 0, 0, TimeSpan.Zero);

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

    /// <summary>Feeds one count a minute through the stage's episode rules and returns the minutes (from the origin) at which reported episodes start.</summary>
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
        var sink = new OpenedEpisodes();
        for (var i = 0; i < counts.Length; i++)
        {
            var start = Origin.UtcTicks + (i * TimeSpan.TicksPerMinute);
            tracker.Add(start, start + TimeSpan.TicksPerMinute, counts[i], default(StreamingStats), sink);
        }

        return [.. sink.Episodes.Select(e => (int)((e.StartTicks - Origin.UtcTicks) / TimeSpan.TicksPerMinute))];
    }

    private static int[] DailyCounts(int days, int seed, double low, double high)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, days * MinutesPerDay).Select(m => SyntheticSeries.Poisson(random, DailyRate(m, low, high)))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DailyVolumeRamp_AfterTheFirstDay_RaisesNoEpisode(int seed)
    {
        // Volume ×10 between 02:00 and 14:00 every day: hundreds of requests a minute, so every minute of the ramp is a
        // significant change from the level of the night before; the daily profile knows it from the second day on.
        var counts = DailyCounts(days: 3, seed, low: 40, high: 400);

        var starts = EpisodeStarts(counts);

        Assert.DoesNotContain(starts, s => s >= MinutesPerDay);
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
        var counts = DailyCounts(days: 5, seed, low: 1, high: 10);
        var random = new Random(seed + 100);
        var onset = (4 * MinutesPerDay) + (20 * 60);
        for (var m = onset; m < onset + 90; m++)
        {
            counts[m] = SyntheticSeries.Poisson(random, 8 * DailyRate(m, 1, 10));
        }

        var starts = EpisodeStarts(counts);

        Assert.Contains(starts, s => s >= onset && s < onset + 30);
        Assert.DoesNotContain(starts, s => s >= MinutesPerDay && (s < onset || s >= onset + 90));
    }
}
