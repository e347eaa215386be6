using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Anomalies;

public class AnomalyEpisodeTrackerTests
{
    private const long Minute = TimeSpan.TicksPerMinute;
    private static readonly long T0 = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    /// <summary>Scores each value by a script: 0.7 (severity error) when the value is 100 or more, 0.2 otherwise; alarms unless suppressed.</summary>
    private sealed class ScriptedDetector : IStreamingAnomalyDetector
    {
        public bool Suppress { get; set; }

        public long PointsSeen { get; private set; }

        /// <summary>The expected value every result reports (10 unless a test sets it).</summary>
        public double Expected { get; set; } = 10;

        public int StateSizeBytes => 0;

        public AnomalyResult Update(DateTimeOffset timestamp, double value)
        {
            PointsSeen++;
            var score = value >= 100 ? 0.7 : 0.2;
            var alarm = score >= 0.5 && !Suppress;
            return new AnomalyResult(alarm || score < 0.5 ? score : 0.25, alarm, Expected, 5, 15, value - Expected, value >= 100 ? AnomalyType.Spike : AnomalyType.Drop);
        }

        public void Reset() => PointsSeen = 0;
    }

    private sealed class Recorder : IAnomalyEpisodeSink
    {
        public List<(string Phase, long Start, long End, int Points, double Peak)> Calls { get; } = [];

        public void Opened(AnomalyEpisode episode) => Calls.Add(("open", episode.StartTicks, episode.LastActiveEndTicks, episode.Points, episode.PeakScore));

        public void Closed(AnomalyEpisode episode) => Calls.Add(("close", episode.StartTicks, episode.LastActiveEndTicks, episode.Points, episode.PeakScore));
    }

    private static (AnomalyEpisodeTracker Tracker, Recorder Sink, ScriptedDetector Detector) Create(int gapMinutes = 3, Severity minimum = Severity.Warning, int minimumWindows = 1)
    {
        var detector = new ScriptedDetector();
        return (new AnomalyEpisodeTracker(detector, 0.5, TimeSpan.FromMinutes(gapMinutes), minimum, minimumWindows), new Recorder(), detector);
    }

    private static void Feed(AnomalyEpisodeTracker tracker, Recorder sink, params double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            tracker.Add(T0 + (i * Minute), T0 + ((i + 1) * Minute), values[i], sink);
        }
    }

    [Fact]
    public void Add_BurstsWithinTheGap_MergeIntoOneEpisodeReportedTwice()
    {
        var (tracker, sink, _) = Create(gapMinutes: 3);

        Feed(tracker, sink, 10, 10, 100, 10, 100, 10, 10, 10, 10, 10);

        Assert.Equal(2, sink.Calls.Count);
        Assert.Equal(("open", T0 + (2 * Minute), T0 + (3 * Minute), 1, 0.7), sink.Calls[0]);
        Assert.Equal(("close", T0 + (2 * Minute), T0 + (5 * Minute), 2, 0.7), sink.Calls[1]);
        Assert.Null(tracker.Open);
    }

    [Fact]
    public void Add_MinimumTwoWindows_ALoneAnomalousMinuteRaisesNothing()
    {
        var (tracker, sink, _) = Create(gapMinutes: 2, minimumWindows: 2);

        Feed(tracker, sink, 10, 100, 10, 10, 10, 10);

        Assert.Empty(sink.Calls);
        Assert.Null(tracker.Open);
    }

    [Fact]
    public void Add_MinimumTwoWindows_ReportsFromTheFirstWindowOnceTheSecondIsAnomalous()
    {
        var (tracker, sink, _) = Create(gapMinutes: 2, minimumWindows: 2);

        Feed(tracker, sink, 10, 100, 10, 100, 10, 10, 10, 10);

        Assert.Equal(2, sink.Calls.Count);
        Assert.Equal(("open", T0 + Minute, T0 + (4 * Minute), 2, 0.7), sink.Calls[0]);
        Assert.Equal(("close", T0 + Minute, T0 + (4 * Minute), 2, 0.7), sink.Calls[1]);
    }

    /// <summary>A window of <paramref name="count"/> values, all <paramref name="value"/> but one at value ± 10 (a little spread).</summary>
    private static StreamingStats Window(double value, int count)
    {
        var stats = default(StreamingStats);
        for (var i = 0; i < count; i++)
        {
            stats.TryAdd(i == 0 ? value + 10 : i == 1 ? value - 10 : value);
        }

        return stats;
    }

    /// <summary>A detector fed <paramref name="values"/> a minute apart from <see cref="T0"/>, without a tracker around it.</summary>
    private static DefaultAnomalyDetector FedAlone(double[] values)
    {
        var detector = new DefaultAnomalyDetector();
        for (var i = 0; i < values.Length; i++)
        {
            detector.Update(new DateTimeOffset(T0 + (i * Minute), TimeSpan.Zero), values[i]);
        }

        return detector;
    }

    private static void FeedWindows(AnomalyEpisodeTracker tracker, Recorder sink, int count, params double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var window = Window(values[i], count);
            tracker.Add(T0 + (i * Minute), T0 + ((i + 1) * Minute), window.Mean, window, sink);
        }
    }

    [Theory]
    [InlineData(2, 0)] // two values a minute: a mean of 100 where 10 is usual is within the sampling error
    [InlineData(400, 2)] // four hundred: the same departure is certain
    public void Add_WithVolumeEvidence_ConfirmsOnlyWhatTheVolumeSupports(int valuesPerWindow, int expectedCalls)
    {
        var detector = new ScriptedDetector();
        var tracker = new AnomalyEpisodeTracker(detector, 0.5, TimeSpan.FromMinutes(2), Severity.Warning, 2, new VolumeEvidence(AnomalyStatistic.Mean), 3);
        var sink = new Recorder();

        // Twenty quiet windows of 10 ± 10 teach the spread of single values ...
        FeedWindows(tracker, sink, valuesPerWindow, [.. Enumerable.Repeat(10.0, 20)]);
        var noisy = default(StreamingStats);
        for (var i = 0; i < 40; i++)
        {
            noisy.TryAdd(i % 2 == 0 ? -90 : 110);
        }

        // ... a noisy quiet window widens it (single values spread by 100) ...
        tracker.Add(T0 + (20 * Minute), T0 + (21 * Minute), 10, noisy, sink);

        // ... then three minutes at 100.
        for (var i = 21; i < 24; i++)
        {
            var window = Window(100, valuesPerWindow);
            tracker.Add(T0 + (i * Minute), T0 + ((i + 1) * Minute), window.Mean, window, sink);
        }

        tracker.Sweep(T0 + (60 * Minute), sink);

        Assert.Equal(expectedCalls, sink.Calls.Count);
    }

    [Theory]
    [InlineData(3, 0)] // three windows of 2.15 sampling errors each: Σz / √3 = 3.72, below 3 × √2 = 4.24
    [InlineData(4, 2)] // four: Σz / √4 = 4.30, the evidence two windows at exactly the bound carry
    public void Add_PooledEvidence_ConfirmsASustainedDepartureNoSingleWindowSupports(int windows, int expectedCalls)
    {
        // A request count of 100 where 80 is expected is 2.15 Poisson sampling errors (Bernstein): under the
        // minimum evidence of 3, so no window counts toward the two the episode needs on its own.
        var detector = new ScriptedDetector { Expected = 80 };
        var tracker = new AnomalyEpisodeTracker(detector, 0.5, TimeSpan.FromMinutes(2), Severity.Warning, 2, new VolumeEvidence(AnomalyStatistic.Count), 3);
        var sink = new Recorder();

        Feed(tracker, sink, [.. Enumerable.Repeat(100.0, windows), 10, 10, 10, 10]);

        Assert.Equal(expectedCalls, sink.Calls.Count);
        if (expectedCalls > 0)
        {
            Assert.Equal(("open", T0, T0 + (4 * Minute), 4, 0.7), sink.Calls[0]);
        }
    }

    [Fact]
    public void Add_BurstsFurtherApartThanTheGap_AreTwoEpisodes()
    {
        var (tracker, sink, _) = Create(gapMinutes: 2);

        Feed(tracker, sink, 100, 10, 10, 10, 100, 10, 10, 10);

        Assert.Equal(["open", "close", "open", "close"], sink.Calls.Select(c => c.Phase));
    }

    [Fact]
    public void Add_ValueStaysBeyondTheOpeningBand_KeepsTheEpisodeOpenThroughSuppression()
    {
        var (tracker, sink, detector) = Create(gapMinutes: 2);
        Feed(tracker, sink, 100);
        detector.Suppress = true;

        // 16 is above the opening band's upper edge (15) but scores low: still part of the episode.
        for (var i = 1; i <= 10; i++)
        {
            tracker.Add(T0 + (i * Minute), T0 + ((i + 1) * Minute), 16, sink);
        }

        Assert.Single(sink.Calls);
        Assert.Equal(11, tracker.Open!.Points);
        Assert.True(tracker.Sweep(T0 + (13 * Minute), sink));
        Assert.Equal(TimeSpan.FromMinutes(11), TimeSpan.FromTicks(sink.Calls[1].End - sink.Calls[1].Start));
    }

    [Fact]
    public void Sweep_BeforeTheGapHasPassed_KeepsTheEpisodeOpen()
    {
        var (tracker, sink, _) = Create(gapMinutes: 5);
        Feed(tracker, sink, 100);

        Assert.False(tracker.Sweep(T0 + (5 * Minute), sink));
        Assert.True(tracker.Sweep(T0 + (6 * Minute), sink));
        Assert.False(tracker.Sweep(T0 + (60 * Minute), sink));
        Assert.Equal(["open", "close"], sink.Calls.Select(c => c.Phase));
    }

    [Fact]
    public void Add_PointNotAfterThePrevious_IsIgnored()
    {
        var (tracker, sink, detector) = Create();
        Feed(tracker, sink, 10, 10);

        Assert.False(tracker.Add(T0, T0 + Minute, 100, sink));
        Assert.Equal(2, detector.PointsSeen);
        Assert.Empty(sink.Calls);
    }

    [Fact]
    public void Add_SeverityBelowTheMinimum_OpensNothing()
    {
        var (tracker, sink, _) = Create(minimum: Severity.Critical);

        Feed(tracker, sink, 100, 10);

        Assert.Empty(sink.Calls);
    }

    [Fact]
    public void FillZeros_GapBetweenWindows_FeedsOneZeroPerMissingMinuteUpToTheCap()
    {
        var (tracker, sink, detector) = Create();
        Feed(tracker, sink, 10);

        tracker.FillZeros(T0 + (10 * Minute), 100, null, sink);
        Assert.Equal(1 + 9, detector.PointsSeen);
        tracker.FillZeros(T0 + (100 * Minute), 5, null, sink);
        Assert.Equal(10 + 5, detector.PointsSeen);
    }

    [Fact]
    public void FillZeros_MinutesTheSourceDeliveredNothingIn_AreGapsNotZeros()
    {
        var (tracker, sink, detector) = Create();
        Feed(tracker, sink, 10);

        // Minutes 1..9 are missing; the source was silent in all but minutes 3 and 7.
        tracker.FillZeros(T0 + (10 * Minute), 100, minute => minute != T0 + (3 * Minute) && minute != T0 + (7 * Minute), sink);

        Assert.Equal(1 + 2, detector.PointsSeen);
    }

    [Theory]
    [InlineData(0.5, Severity.Warning)]
    [InlineData(0.5999, Severity.Warning)]
    [InlineData(0.6, Severity.Error)]
    [InlineData(0.8, Severity.Critical)]
    [InlineData(1.0, Severity.Critical)]
    public void SeverityOf_Score_FollowsTheBands(double score, Severity expected) =>
        Assert.Equal(expected, AnomalyEpisodeTracker.SeverityOf(score));

    /// <summary>
    /// A model's mean latency (1,000 ms, noise 50) tripled by a bad deploy for 20 minutes, rolled back, and the same
    /// deploy again an hour after the rollback: the second fault is as unusual as the first and opens its own episode.
    /// Before an episode's deviations left the detector's self-calibration, the first fault's deviation was the largest
    /// the series had shown lately, so the second one scored a ratio below 1 and opened nothing.
    /// </summary>
    [Fact]
    public void Add_TheSameLevelFaultAnHourAfterTheFirstEnded_OpensASecondEpisode()
    {
        var detector = new DefaultAnomalyDetector();
        var tracker = new AnomalyEpisodeTracker(detector, detector.Options.Threshold, TimeSpan.FromMinutes(5), Severity.Warning, minimumWindows: 2);
        var sink = new Recorder();
        var values = SyntheticSeries.Noise(300, seed: 7, mean: 1_000, sigma: 50);
        for (var i = 0; i < 20; i++)
        {
            values[120 + i] *= 3.5;
            values[200 + i] *= 3.5;
        }

        Feed(tracker, sink, values);

        var opened = sink.Calls.Where(c => c.Phase == "open").Select(c => c.Start).ToList();
        Assert.Equal([T0 + (120 * Minute), T0 + (200 * Minute)], opened);
        Assert.Equal(2, sink.Calls.Count(c => c.Phase == "close"));
    }

    /// <summary>
    /// A one-minute blip (an episode that is never confirmed) stays in the self-calibration like any point: the same
    /// blip an hour later is no more unusual than the first, and the series that makes such blips learns them.
    /// </summary>
    [Fact]
    public void Add_ABlipNeverConfirmed_StaysInTheCalibration()
    {
        var withBlip = new DefaultAnomalyDetector();
        var tracker = new AnomalyEpisodeTracker(withBlip, withBlip.Options.Threshold, TimeSpan.FromMinutes(5), Severity.Warning, minimumWindows: 2);
        var values = SyntheticSeries.Noise(200, seed: 11, mean: 1_000, sigma: 50);
        values[120] = 4_000;

        var sink = new Recorder();
        Feed(tracker, sink, values);
        var alone = FedAlone(values);

        var again = new DateTimeOffset(T0 + (values.Length * Minute), TimeSpan.Zero);
        Assert.Empty(sink.Calls);
        Assert.Equal(alone.Update(again, 4_000).Score, withBlip.Update(again, 4_000).Score);
    }

    /// <summary>
    /// An episode longer than <see cref="AnomalyEpisodeTracker.LongestForgottenEpisode"/> stays in the self-calibration
    /// when it closes (it can be the series' own rhythm before the daily profile knows it): the detector afterwards is
    /// the one fed the same values without a tracker.
    /// </summary>
    [Fact]
    public void Add_AnEpisodeLongerThanTwoHours_StaysInTheCalibration()
    {
        var withEpisode = new DefaultAnomalyDetector();
        var tracker = new AnomalyEpisodeTracker(withEpisode, withEpisode.Options.Threshold, TimeSpan.FromMinutes(5), Severity.Warning, minimumWindows: 2);
        var values = SyntheticSeries.Noise(400, seed: 13, mean: 1_000, sigma: 50);
        for (var i = 120; i < 270; i++)
        {
            values[i] *= 3.5;
        }

        var sink = new Recorder();
        Feed(tracker, sink, values);
        var alone = FedAlone(values);

        var again = new DateTimeOffset(T0 + (values.Length * Minute), TimeSpan.Zero);
        var closed = Assert.Single(sink.Calls, c => c.Phase == "close");
        Assert.Equal(T0 + (120 * Minute), closed.Start);
        Assert.Equal(alone.Update(again, 3_500).Score, withEpisode.Update(again, 3_500).Score);
    }
}
