using AnalyticsHub.Anomalies;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Anomalies;

public class VolumeEvidenceTests
{
    private static readonly double DefaultMinimum = new AnomalyStageOptions().MinimumEvidence;

    /// <summary>The statistics of one window of per-request values: <paramref name="errors"/> of <paramref name="requests"/> at 100 (an error), the rest 0.</summary>
    internal static StreamingStats Requests(int requests, int errors)
    {
        var stats = default(StreamingStats);
        for (var i = 0; i < requests; i++)
        {
            stats.TryAdd(i < errors ? 100 : 0);
        }

        return stats;
    }

    /// <summary>An error-rate series learned at 2 % (one error in 50 requests, forty windows).</summary>
    internal static VolumeEvidence ErrorRateAtTwoPercent()
    {
        var evidence = new VolumeEvidence(AnomalyStatistic.Mean);
        var window = Requests(50, 1);
        for (var i = 0; i < 40; i++)
        {
            evidence.Learn(window);
        }

        return evidence;
    }

    /// <summary>Bernstein's bound as a z-score: t / √(V + M·t/3).</summary>
    private static double Bernstein(double t, double v, double m) => t / Math.Sqrt(v + (m * t / 3));

    [Fact]
    public void Count_IsJudgedAsAPoissonCount()
    {
        var evidence = new VolumeEvidence(AnomalyStatistic.Count);

        Assert.Equal(Bernstein(2, 1, 1), evidence.ZScore(3, 1, default), 12); // 1.55: three where one is usual is noise
        Assert.Equal(Bernstein(200, 100, 1), evidence.ZScore(300, 100, default), 12); // 15.5
        Assert.Equal(Bernstein(3, 1, 1), evidence.ZScore(3, 0, default), 12); // an expected rate below 1 is judged as 1
        Assert.Equal(0.0, evidence.ZScore(100, 100, default));
        Assert.True(evidence.ZScore(3, 1, default) < DefaultMinimum);
    }

    [Fact]
    public void Mean_OneErrorInFourRequests_IsNoEvidence_ButThirtyPercentOfFortyIs()
    {
        var evidence = ErrorRateAtTwoPercent();

        var blip = Requests(4, 1);
        var outage = Requests(40, 12);

        // Pooled: mean 2, variance 196, largest deviation 98. A normal approximation would give the blip 3.3 standard
        // errors; Bernstein's bound gives it 1.5.
        Assert.Equal(Bernstein(4 * 23, 4 * 196, 98), evidence.ZScore(blip.Mean, 2, blip), 9);
        Assert.True(evidence.ZScore(blip.Mean, 2, blip) < DefaultMinimum);
        Assert.True(evidence.ZScore(outage.Mean, 2, outage) > DefaultMinimum);
    }

    [Fact]
    public void Mean_BeforeTheSpreadIsKnown_EveryDepartureCounts()
    {
        var evidence = new VolumeEvidence(AnomalyStatistic.Mean);
        evidence.Learn(Requests(VolumeEvidence.MinimumValues - 1, 1));

        Assert.Equal(double.PositiveInfinity, evidence.ZScore(25, 2, Requests(4, 1)));
        Assert.Equal(0.0, evidence.ZScore(2, 2, Requests(4, 0)));
    }

    [Fact]
    public void Mean_OfAnEmptyWindow_IsNoEvidence()
    {
        var evidence = ErrorRateAtTwoPercent();

        Assert.Equal(0.0, evidence.ZScore(double.NaN, 2, default));
        Assert.Equal(0.0, evidence.ZScore(50, 2, default));
    }

    [Fact]
    public void Sum_IsACompoundPoissonSum()
    {
        // Values of 10 ± 0 (a spread of 0): the sum's error is the count's, √λ values of 10 each.
        var evidence = new VolumeEvidence(AnomalyStatistic.Sum);
        var window = default(StreamingStats);
        for (var i = 0; i < 100; i++)
        {
            window.TryAdd(10);
        }

        evidence.Learn(window);

        // 100 values (1,000) expected: V = 100 · E[x²] = 10,000, the largest value 10.
        Assert.Equal(Bernstein(300, 10_000, 10), evidence.ZScore(1_300, 1_000, default), 9);

        // Fewer than one value expected is judged as one.
        Assert.Equal(Bernstein(20, 100, 10), evidence.ZScore(25, 5, default), 9);
    }

    /// <summary>One window of a mean over three fixed sources (a model's throughput over its regions' aggregates) at 0.1, 1 and 2, each moved by <paramref name="rise"/> and a little noise.</summary>
    private static StreamingStats ThreeSources(Random random, double rise)
    {
        var stats = default(StreamingStats);
        foreach (var level in (double[])[0.1, 1.0, 2.0])
        {
            stats.TryAdd(level + rise + (0.02 * (random.NextDouble() - 0.5)));
        }

        return stats;
    }

    [Fact]
    public void Mean_OverTheSameFewSources_IsJudgedByItsOwnSteps()
    {
        // The sources' fixed differences are no sampling error: a rise of 0.3 in every source is far outside what the
        // mean's own minute-to-minute steps show (about 0.01), though well inside the spread between the sources.
        var random = new Random(7);
        var evidence = new VolumeEvidence(AnomalyStatistic.Mean);
        for (var i = 0; i < 100; i++)
        {
            evidence.Learn(ThreeSources(random, 0));
        }

        var risen = ThreeSources(random, 0.3);
        Assert.True(evidence.ZScore(risen.Mean, 1.033, risen) > DefaultMinimum);
        var still = ThreeSources(random, 0);
        Assert.True(evidence.ZScore(still.Mean, 1.033, still) < DefaultMinimum);
    }

    /// <summary>
    /// A model's requests a second per region over a minute (levels 0.5, 0.08 and 0.017), from the regions that had a
    /// request that minute: one to three values, so the mean moves with which regions report.
    /// </summary>
    private static StreamingStats RegionalRates(Random random)
    {
        var stats = default(StreamingStats);
        foreach (var level in (double[])[0.5, 0.08, 0.017])
        {
            var requests = SyntheticSeries.Poisson(random, level * 60);
            if (requests > 0)
            {
                stats.TryAdd(requests / 60.0);
            }
        }

        return stats;
    }

    [Fact]
    public void Mean_OfRatesOverAMinute_IsJudgedByTheRequestsTheyImply()
    {
        // One region's 34 requests in a minute where a mean of about 5 a region is expected: beyond any Poisson noise,
        // though within the spread of the regions' rates and of the mean's steps when the regions reporting change.
        var random = new Random(11);
        var rates = new VolumeEvidence(AnomalyStatistic.Mean, rateWindowSeconds: 60);
        var values = new VolumeEvidence(AnomalyStatistic.Mean);
        for (var i = 0; i < 300; i++)
        {
            var window = RegionalRates(random);
            rates.Learn(window);
            values.Learn(window);
        }

        var rise = default(StreamingStats);
        rise.TryAdd(34 / 60.0);
        Assert.True(rates.ZScore(rise.Mean, 0.089, rise) > DefaultMinimum);
        Assert.True(values.ZScore(rise.Mean, 0.089, rise) < DefaultMinimum);
    }

    [Fact]
    public void Mean_OfRates_WithinPoissonNoiseOfTheRequests_IsNoEvidence()
    {
        // Three regions, 99 requests in the minute where 90 are expected (0.5 a second each): one Poisson error.
        var rates = new VolumeEvidence(AnomalyStatistic.Mean, rateWindowSeconds: 60);
        var window = default(StreamingStats);
        foreach (var requests in (int[])[36, 33, 30])
        {
            window.TryAdd(requests / 60.0);
        }

        for (var i = 0; i < 100; i++)
        {
            rates.Learn(window);
        }

        Assert.InRange(rates.ZScore(window.Mean, 0.5, window), 0.5, 1.5);
    }

    [Fact]
    public void Mean_StepsAreUsedOnlyOnceEnoughConsecutiveWindowsWereLearned()
    {
        var random = new Random(7);
        var evidence = new VolumeEvidence(AnomalyStatistic.Mean);
        for (var i = 0; i < VolumeEvidence.MinimumSteps * 2; i++)
        {
            // Every other window is an episode's (not learned): no step is taken across it, so none is ever pooled.
            evidence.Learn(ThreeSources(random, 0));
            evidence.Interrupt();
        }

        var risen = ThreeSources(random, 0.3);
        Assert.True(evidence.ZScore(risen.Mean, 1.033, risen) < DefaultMinimum);
    }

    [Fact]
    public void Learn_ForgetsWithAHalfLifeOfADayOfWindows()
    {
        var evidence = new VolumeEvidence(AnomalyStatistic.Mean);
        for (var i = 0; i < 10; i++)
        {
            evidence.Learn(Requests(50, 25)); // values 0 and 100: a spread of 50
        }

        var quiet = Requests(50, 0);
        var before = evidence.ZScore(1, 0, quiet);
        for (var i = 0; i < 20 * 1_440; i++)
        {
            evidence.Learn(quiet); // then only zeros: a spread of 0
        }

        // Twenty half-lives later the old spread is forgotten: the same departure is strong evidence.
        Assert.True(before < 1);
        Assert.True(evidence.ZScore(1, 0, quiet) > 100);
    }

    /// <summary>
    /// A request count that has been a sixth of the rest of its metric's traffic (<paramref name="own"/> against six
    /// times as many) for an hour of windows, the rest steady.
    /// </summary>
    private static VolumeEvidence CountWithASixthOfSteadyTraffic(int own = 10)
    {
        var evidence = new VolumeEvidence(AnomalyStatistic.Count);
        for (var i = 0; i < 60; i++)
        {
            evidence.ObserveRestOfTraffic(6 * own);
            evidence.Learn(Requests(own, 0));
            evidence.ForgetRestOfTraffic();
        }

        return evidence;
    }

    [Fact]
    public void Count_ThatFollowsASlowMoveOfTheRestOfTraffic_IsNoEvidence()
    {
        var evidence = CountWithASixthOfSteadyTraffic(100);

        // Every model's volume rises by 0.3 % a minute (a daily ramp) for 100 minutes, this one's with it: at the end
        // 135 where the detector still expects 100 is 3.3 Poisson errors, but the share did not move.
        var rest = 600.0;
        for (var i = 0; i < 100; i++)
        {
            rest *= 1.003;
            evidence.ObserveRestOfTraffic(rest);
            if (i < 99)
            {
                evidence.Learn(Requests((int)Math.Round(rest / 6), 0));
                evidence.ForgetRestOfTraffic();
            }
        }

        var followed = Math.Round(rest / 6);
        Assert.True(Bernstein(followed - 100, 100, 1) > DefaultMinimum);
        Assert.True(evidence.ZScore(followed, 100, default) < 0.5);
    }

    [Fact]
    public void Count_ThatFollowsAStepOfAllTraffic_IsJudgedAgainstTheExpectedValue()
    {
        var evidence = CountWithASixthOfSteadyTraffic();

        // Every model's volume tripled within a minute (a surge): a change of all traffic that is no slow move, so the
        // count is judged against the detector's expected value as a count alone on its metric is (5.5 Poisson errors).
        evidence.ObserveRestOfTraffic(180);

        Assert.Equal(Bernstein(20, 10, 1), evidence.ZScore(30, 10, default), 9);
        Assert.True(evidence.ZScore(30, 10, default) > DefaultMinimum);
    }

    [Fact]
    public void Count_WhoseShareOfSteadyTrafficMoves_IsJudgedAgainstItsUsualShare()
    {
        var evidence = CountWithASixthOfSteadyTraffic();

        // This model's volume tripled alone: its usual share of the rest (60) is 10, with the rest's own noise (1 + 1/6).
        evidence.ObserveRestOfTraffic(60);
        Assert.Equal(Bernstein(20, 10 * (1 + (1.0 / 6)), 1), evidence.ZScore(30, 10, default), 9);
        Assert.True(evidence.ZScore(30, 10, default) > DefaultMinimum);

        // Without a rest of traffic (a minute filled with 0), the detector's expected value alone.
        evidence.ForgetRestOfTraffic();
        Assert.Equal(Bernstein(20, 10, 1), evidence.ZScore(30, 10, default), 9);
    }

    [Fact]
    public void Count_BeforeHalfAnHourOfShares_IsJudgedAgainstTheExpectedValueOnly()
    {
        var young = new VolumeEvidence(AnomalyStatistic.Count);
        for (var i = 0; i < VolumeEvidence.MinimumShareWindows - 1; i++)
        {
            young.ObserveRestOfTraffic(60);
            young.Learn(Requests(10, 0));
            young.ForgetRestOfTraffic();
        }

        young.ObserveRestOfTraffic(61);

        Assert.Equal(Bernstein(20, 10, 1), young.ZScore(30, 10, default), 12);
    }

    [Fact]
    public void Sum_IgnoresTheRestOfTraffic()
    {
        // A cost sum moves with a change of all traffic, and that is an anomaly of cost: the sum keeps the detector's
        // expected value alone.
        var evidence = new VolumeEvidence(AnomalyStatistic.Sum);
        var window = default(StreamingStats);
        for (var i = 0; i < 100; i++)
        {
            window.TryAdd(10);
        }

        for (var i = 0; i < 60; i++)
        {
            evidence.ObserveRestOfTraffic(60);
            evidence.Learn(window);
        }

        evidence.ObserveRestOfTraffic(61);

        Assert.Equal(Bernstein(2_000, 100 * 100, 10), evidence.ZScore(3_000, 1_000, default), 9);
    }

    /// <summary>The statistics of one window of <paramref name="count"/> values of <paramref name="size"/> ± 1 (alternating).</summary>
    private static StreamingStats Values(int count, double size)
    {
        var stats = default(StreamingStats);
        for (var i = 0; i < count; i++)
        {
            stats.TryAdd(size + (i % 2 == 0 ? 1 : -1));
        }

        return stats;
    }

    /// <summary>
    /// A token sum of 100 values of 10 a minute for an hour of windows, then 100 minutes in which its volume (the count of
    /// values) rises by 0.3 % a minute (a daily ramp); the values keep <paramref name="size"/> in the last window, which is
    /// returned with the evidence, not yet observed.
    /// </summary>
    private static (VolumeEvidence Evidence, StreamingStats Last) SumWhoseVolumeRisesSlowly(double size)
    {
        var evidence = new VolumeEvidence(AnomalyStatistic.Sum);
        var volume = 100.0;
        for (var i = 0; i < 160; i++)
        {
            if (i >= 60)
            {
                volume *= 1.003;
            }

            var window = Values((int)Math.Round(volume), i < 159 ? 10 : size);
            if (i == 159)
            {
                return (evidence, window);
            }

            evidence.ObserveVolume(window);
            evidence.Learn(window);
        }

        throw new InvalidOperationException("unreachable");
    }

    [Fact]
    public void Sum_ThatFollowsASlowMoveOfItsOwnVolume_IsNoEvidence()
    {
        // 135 values of the usual size where the detector still expects 100 of them: the sum is 9 sampling errors
        // above 1,000, but its own volume explains it, and that volume moved slowly.
        var (evidence, last) = SumWhoseVolumeRisesSlowly(10);
        evidence.ObserveVolume(last);

        Assert.True(Bernstein(last.Sum - 1_000, 100 * 101, 11) > DefaultMinimum);
        Assert.True(evidence.ZScore(last.Sum, 1_000, last) < 0.5);
    }

    [Fact]
    public void Sum_WhoseValuesGrow_IsJudgedAgainstTheExpectedValue()
    {
        // The same slow volume, but every value is 12 instead of 10 (longer completions): the volume does not explain
        // the sum, which is judged as a compound Poisson sum against the expected value.
        var (evidence, last) = SumWhoseVolumeRisesSlowly(12);
        evidence.ObserveVolume(last);

        Assert.True(evidence.ZScore(last.Sum, 1_000, last) > DefaultMinimum);
    }

    [Fact]
    public void Sum_ThatFollowsAStepOfItsOwnVolume_IsJudgedAgainstTheExpectedValue()
    {
        // A step of volume (a surge, a leaked key: twice the values from one minute to the next) is an anomaly of the sum
        // too: from its fourth minute (the recent level 1.26 times the half hour's) the sum is judged against the
        // expected value alone. Its first minutes are still judged against the volume (they extend a pending episode).
        var evidence = new VolumeEvidence(AnomalyStatistic.Sum);
        var usual = Values(100, 10);
        for (var i = 0; i < 60; i++)
        {
            evidence.ObserveVolume(usual);
            evidence.Learn(usual);
        }

        var step = Values(200, 10);
        evidence.ObserveVolume(step);
        Assert.True(evidence.ZScore(step.Sum, 1_000, step) < 0.5);
        for (var i = 0; i < 3; i++)
        {
            evidence.Interrupt();
            evidence.ObserveVolume(step);
        }

        Assert.Equal(Bernstein(1_000, 100 * 101, 11), evidence.ZScore(step.Sum, 1_000, step), 9);
    }
}
