using AnalyticsHub.Evaluation.Nab;
using static AnalyticsHub.Evaluation.Tests.Nab.NabTestData;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public class NabThresholdSweepTests
{
    [Fact]
    public void FindBest_HighScoreOnWindowStartAndLowerOnFalsePositive_PicksThresholdExcludingTheFalsePositive()
    {
        var series = Series(1000, (400, 499));
        var scores = new double[1000];
        scores[400] = 0.8;
        scores[200] = 0.6;
        scores[450] = 0.9;

        var best = NabThresholdSweep.FindBest([series], [scores], NabProfile.Standard);

        // At 0.9 only row 450 (worth sigma(-0.5)/sigma(-1)); at 0.8 row 400 too (worth 1); at 0.6 a -0.11 false positive.
        Assert.Equal(0.8, best.Threshold);
        Assert.Equal(1.0, best.Raw, 1e-12);
        Assert.Equal(100.0, best.Normalised!.Value, 1e-9);
    }

    [Fact]
    public void FindBest_NullDetector_KeepsNoDetectionWithThresholdAboveEveryScore()
    {
        var series = Series(1000, (400, 499));

        var best = NabThresholdSweep.FindBest([series], [new double[1000]], NabProfile.Standard);

        Assert.Equal(-1.0, best.Raw);
        Assert.Equal(0.0, best.Normalised!.Value);
        Assert.True(best.Threshold > 1.0);
        Assert.Equal(0, NabScorer.ScoreFile(series, new double[1000], best.Threshold).WindowsHit);
    }

    [Fact]
    public void FindBest_SeveralFiles_NormalisesOverAllWindows()
    {
        var first = Series(1000, (400, 499));
        var second = Series(1000, (600, 699));
        var one = DetectionsAt(1000, 400);
        var none = new double[1000];

        var best = NabThresholdSweep.FindBest([first, second], [one, none], NabProfile.RewardLowFalseNegatives);

        Assert.Equal(1.0, best.Threshold);
        Assert.Equal(1.0 - 2.0, best.Raw, 1e-12);
        Assert.Equal(100.0 * 3.0 / 6.0, best.Normalised!.Value, 1e-9);
    }

    [Fact]
    public void FindBest_MismatchedLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => NabThresholdSweep.FindBest([Series(10)], [], NabProfile.Standard));
        Assert.Throws<ArgumentException>(() => NabThresholdSweep.FindBest([Series(10)], [new double[9]], NabProfile.Standard));
    }
}
