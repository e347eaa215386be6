using AnalyticsHub.Evaluation.Nab;
using static AnalyticsHub.Evaluation.Tests.Nab.NabTestData;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public class NabScorerTests
{
    private const double Tolerance = 1e-12;

    // 1000 rows: probation is 150 rows; one window over rows 400..499 (w = 100).
    private static readonly NabSeries OneWindow = Series(1000, (400, 499));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(6, 0)]
    [InlineData(7, 1)]
    [InlineData(100, 15)]
    [InlineData(1000, 150)]
    [InlineData(5000, 750)]
    [InlineData(100_000, 750)]
    public void ProbationRows_RowCount_IsFloorOf15PercentCappedAt750(int rows, int expected)
    {
        Assert.Equal(expected, NabScorer.ProbationRows(rows));
    }

    [Fact]
    public void ScaledSigmoid_KnownPoints_MatchTheFormula()
    {
        Assert.Equal(0.0, NabScorer.ScaledSigmoid(0.0), Tolerance);
        Assert.Equal(2.0 / (1.0 + Math.Exp(-5.0)) - 1.0, NabScorer.ScaledSigmoid(-1.0), Tolerance);
        Assert.Equal(2.0 / (1.0 + Math.Exp(15.0)) - 1.0, NabScorer.ScaledSigmoid(3.0), Tolerance);
        Assert.Equal(-1.0, NabScorer.ScaledSigmoid(3.0000001));
    }

    [Fact]
    public void ScoreFile_NullDetector_ScoresMinusFnPerWindowAndZeroNormalised()
    {
        var series = Series(1000, (300, 349), (600, 649));
        var tally = NabScorer.ScoreFile(series, new double[1000], 0.5);

        Assert.Equal(-2.0, tally.Raw(NabProfile.Standard), Tolerance);
        Assert.Equal(-4.0, tally.Raw(NabProfile.RewardLowFalseNegatives), Tolerance);
        Assert.Equal(0.0, tally.Normalised(NabProfile.Standard)!.Value, Tolerance);
        Assert.Equal(0.0, tally.Normalised(NabProfile.RewardLowFalsePositives)!.Value, Tolerance);
        Assert.Equal(0.0, tally.Normalised(NabProfile.RewardLowFalseNegatives)!.Value, Tolerance);
        Assert.Equal(0, tally.WindowsHit);
    }

    [Fact]
    public void ScoreFile_DetectionAtFirstRowOfEveryWindow_Scores100()
    {
        var series = Series(1000, (300, 349), (600, 649));
        var tally = NabScorer.ScoreFile(series, DetectionsAt(1000, 300, 600), 0.5);

        Assert.Equal(2.0, tally.Raw(NabProfile.Standard), Tolerance);
        Assert.Equal(100.0, tally.Normalised(NabProfile.Standard)!.Value, Tolerance);
        Assert.Equal(100.0, tally.Normalised(NabProfile.RewardLowFalseNegatives)!.Value, Tolerance);
    }

    [Fact]
    public void ScoreFile_DetectionAtLastRowOfWindow_IsWorthAboutZero()
    {
        var tally = NabScorer.ScoreFile(OneWindow, DetectionsAt(1000, 499), 0.5);

        // y = -(e - i + 1) / w = -1/100; value = sigma(-0.01) / sigma(-1).
        var expected = Sigma(-0.01) / Sigma(-1.0);
        Assert.Equal(expected, tally.Raw(NabProfile.Standard), Tolerance);
        Assert.InRange(expected, 0.02, 0.03);
        Assert.Equal(1, tally.WindowsHit);
    }

    [Fact]
    public void ScoreFile_SeveralDetectionsInWindow_CountsOnlyTheBest()
    {
        var tally = NabScorer.ScoreFile(OneWindow, DetectionsAt(1000, 420, 421, 450, 499), 0.5);

        // Row 420: y = -(499 - 420 + 1) / 100 = -0.8.
        Assert.Equal(Sigma(-0.8) / Sigma(-1.0), tally.Raw(NabProfile.Standard), Tolerance);
        Assert.Equal(0, tally.FalsePositiveRows);
    }

    [Fact]
    public void ScoreFile_FalsePositiveBeforeFirstWindow_CostsMinusFp()
    {
        var tally = NabScorer.ScoreFile(OneWindow, DetectionsAt(1000, 200, 400), 0.5);

        Assert.Equal(1.0 - 0.11, tally.Raw(NabProfile.Standard), Tolerance);
        Assert.Equal(1.0 - 0.22, tally.Raw(NabProfile.RewardLowFalsePositives), Tolerance);
        Assert.Equal(100.0 * (1.0 - 0.11 + 1.0) / 2.0, tally.Normalised(NabProfile.Standard)!.Value, Tolerance);
    }

    [Fact]
    public void ScoreFile_FalsePositiveJustAfterWindow_CostsTheSigmoidOfItsDistance()
    {
        var tally = NabScorer.ScoreFile(OneWindow, DetectionsAt(1000, 500), 0.5);

        // y = |500 - 499| / (100 - 1); value fp * sigma(y), small because it is right after the window.
        var expected = -1.0 + (0.11 * Sigma(1.0 / 99.0));
        Assert.Equal(expected, tally.Raw(NabProfile.Standard), Tolerance);
        Assert.InRange(0.11 * Sigma(1.0 / 99.0), -0.003, -0.002);
    }

    [Fact]
    public void ScoreFile_FalsePositiveThreeWidthsAfterWindow_IsAtTheEdgeOfFullPenalty()
    {
        // Row 796: y = 297/99 = 3 exactly (still the sigmoid); row 797: y > 3, forced to -1.
        var atThree = NabScorer.ScoreFile(OneWindow, DetectionsAt(1000, 796), 0.5);
        var pastThree = NabScorer.ScoreFile(OneWindow, DetectionsAt(1000, 797), 0.5);

        Assert.Equal(-1.0 + (0.11 * Sigma(3.0)), atThree.Raw(NabProfile.Standard), Tolerance);
        Assert.Equal(-1.0 - 0.11, pastThree.Raw(NabProfile.Standard), Tolerance);
    }

    [Fact]
    public void ScoreFile_FalsePositiveAfterOneRowWindow_GetsFullPenalty()
    {
        var series = Series(1000, (400, 400));
        var tally = NabScorer.ScoreFile(series, DetectionsAt(1000, 401), 0.5);

        Assert.Equal(-1.0 - 0.11, tally.Raw(NabProfile.Standard), Tolerance);
    }

    [Fact]
    public void ScoreFile_DetectionsDuringProbation_AreIgnored()
    {
        var tally = NabScorer.ScoreFile(OneWindow, DetectionsAt(1000, 0, 50, 149), 0.5);

        Assert.Equal(-1.0, tally.Raw(NabProfile.Standard), Tolerance);
        Assert.Equal(0, tally.FalsePositiveRows);
        Assert.Equal(850, tally.ScoredRows);
    }

    [Fact]
    public void ScoreFile_WindowInsideProbation_CannotBeHitButStillCountsAndPrecedesLaterRows()
    {
        var series = Series(1000, (10, 20));
        var tally = NabScorer.ScoreFile(series, DetectionsAt(1000, 15, 160), 0.5);

        // The window is missed (-1); row 160 follows it: y = |160 - 20| / 10 = 14 > 3, so -fp.
        Assert.Equal(0, tally.WindowsHit);
        Assert.Equal(-1.0 - 0.11, tally.Raw(NabProfile.Standard), Tolerance);
    }

    [Fact]
    public void ScoreFile_ThreeProfiles_WeightHitsMissesAndFalsePositives()
    {
        // Two windows: the first hit at its first row, the second missed; one false positive before both.
        var series = Series(1000, (300, 349), (600, 649));
        var tally = NabScorer.ScoreFile(series, DetectionsAt(1000, 200, 300), 0.5);

        Assert.Equal(1.0 - 1.0 - 0.11, tally.Raw(NabProfile.Standard), Tolerance);
        Assert.Equal(1.0 - 1.0 - 0.22, tally.Raw(NabProfile.RewardLowFalsePositives), Tolerance);
        Assert.Equal(1.0 - 2.0 - 0.11, tally.Raw(NabProfile.RewardLowFalseNegatives), Tolerance);
        Assert.Equal(47.25, tally.Normalised(NabProfile.Standard)!.Value, 1e-9);
        Assert.Equal(44.5, tally.Normalised(NabProfile.RewardLowFalsePositives)!.Value, 1e-9);
        Assert.Equal(100.0 * 2.89 / 6.0, tally.Normalised(NabProfile.RewardLowFalseNegatives)!.Value, 1e-9);
    }

    [Fact]
    public void ScoreFile_WindowPrecisionRecallF1_CountRunsOfFalsePositivesAsEvents()
    {
        var series = Series(1000, (300, 349), (600, 649));

        // FP events: {200, 201}, {250}, {299} (ended by the window), {350} (after it): 4 events, 5 rows.
        var tally = NabScorer.ScoreFile(series, DetectionsAt(1000, 200, 201, 250, 299, 300, 349, 350), 0.5);

        Assert.Equal(1, tally.WindowsHit);
        Assert.Equal(4, tally.FalsePositiveEvents);
        Assert.Equal(5, tally.FalsePositiveRows);
        Assert.Equal(1.0 / 5.0, tally.WindowPrecision!.Value, Tolerance);
        Assert.Equal(0.5, tally.WindowRecall!.Value, Tolerance);
        Assert.Equal(2 * 0.2 * 0.5 / 0.7, tally.WindowF1!.Value, Tolerance);
    }

    [Fact]
    public void ScoreFile_FileWithoutWindows_CountsNoAnomalyFalsePositiveRows()
    {
        var series = Series(100, []);
        var tally = NabScorer.ScoreFile(series, DetectionsAt(100, 5, 20, 21, 90), 0.5);

        Assert.Equal(3, tally.NoAnomalyFalsePositiveRows);
        Assert.Equal(2, tally.FalsePositiveEvents);
        Assert.Equal(-0.33, tally.Raw(NabProfile.Standard), Tolerance);
        Assert.Null(tally.Normalised(NabProfile.Standard));
        Assert.Null(tally.WindowRecall);
    }

    [Fact]
    public void ScoreFile_ThresholdIsInclusive_ScoreEqualToThresholdDetects()
    {
        var scores = new double[1000];
        scores[400] = 0.7;

        Assert.Equal(1, NabScorer.ScoreFile(OneWindow, scores, 0.7).WindowsHit);
        Assert.Equal(0, NabScorer.ScoreFile(OneWindow, scores, 0.7000001).WindowsHit);
    }

    [Fact]
    public void ScoreFile_WrongNumberOfScores_Throws()
    {
        Assert.Throws<ArgumentException>(() => NabScorer.ScoreFile(OneWindow, new double[999], 0.5));
    }

    [Fact]
    public void Tally_Addition_SumsFilesSoCorpusNormalisationUsesAllWindows()
    {
        var first = NabScorer.ScoreFile(Series(1000, (400, 499)), DetectionsAt(1000, 400), 0.5);
        var second = NabScorer.ScoreFile(Series(1000, (400, 499)), new double[1000], 0.5);
        var total = first + second;

        Assert.Equal(2, total.Files);
        Assert.Equal(2, total.Windows);
        Assert.Equal(0.0, total.Raw(NabProfile.Standard), Tolerance);
        Assert.Equal(50.0, total.Normalised(NabProfile.Standard)!.Value, Tolerance);
    }
}
