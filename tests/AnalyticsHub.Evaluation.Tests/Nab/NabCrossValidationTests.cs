using AnalyticsHub.Anomalies;
using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public sealed class NabCrossValidationTests
{
    [Fact]
    public void Select_ThreeCategories_ChoosesOnTheOthersAndScoresTheHeldOut()
    {
        // Scores are 10 x hits (10 windows per category, each hit worth 1): X = 90/10/50, Y = 50/60/60.
        var candidates = Candidates("X", "Y");
        var tallies = new[]
        {
            Categories(hits: [9, 1, 5], noAnomalyRows: 0),
            Categories(hits: [5, 6, 6], noAnomalyRows: 0),
        };

        var result = NabCrossValidation.Select(candidates, tallies);

        Assert.Equal(["A", "B", "C"], result.Folds.Select(static f => f.HeldOut));
        // Without A: X 30, Y 60 -> Y scores 50 on A. Without B: X 70, Y 55 -> X scores 10 on B. Without C: X 50, Y 55 -> Y, 60.
        Assert.Equal(["Y", "X", "Y"], result.Folds.Select(static f => f.Selected));
        Assert.Equal([50.0, 10.0, 60.0], result.Folds.Select(static f => Math.Round(f.Score, 9)));
        Assert.Equal([60.0, 70.0, 55.0], result.Folds.Select(static f => Math.Round(f.InnerMean, 9)));
        Assert.Equal(40.0, result.Mean, 9);
        Assert.Equal(10.0, result.Worst, 9);
        Assert.Equal("Y", result.FinalSelection);
        Assert.Equal(170.0 / 3, result.FinalCategoryMean, 9);
    }

    [Fact]
    public void Select_CandidateWithTooManyRowsOnFilesWithoutAnomalies_IsNotEligible()
    {
        var candidates = Candidates("noisy", "quiet");
        var tallies = new[]
        {
            Categories(hits: [10, 10, 10], noAnomalyRows: NabCrossValidation.MaxNoAnomalyFalsePositiveRows + 1),
            Categories(hits: [5, 5, 5], noAnomalyRows: NabCrossValidation.MaxNoAnomalyFalsePositiveRows),
        };

        var result = NabCrossValidation.Select(candidates, tallies);

        Assert.All(result.Folds, static f => Assert.Equal("quiet", f.Selected));
        Assert.All(result.Folds, static f => Assert.Equal(NabCrossValidation.MaxNoAnomalyFalsePositiveRows, f.NoAnomalyFalsePositiveRows));
        Assert.Equal("quiet", result.FinalSelection);
    }

    [Fact]
    public void Select_EveryCandidateOverTheLimit_TheFewestRowsStayEligible()
    {
        var candidates = Candidates("worse", "better", "best-score");
        var tallies = new[]
        {
            Categories(hits: [8, 8, 8], noAnomalyRows: 9),
            Categories(hits: [6, 6, 6], noAnomalyRows: 7),
            Categories(hits: [10, 10, 10], noAnomalyRows: 8),
        };

        var result = NabCrossValidation.Select(candidates, tallies);

        Assert.Equal("better", result.FinalSelection);
    }

    [Fact]
    public void Select_TiesGoToTheEarlierCandidate()
    {
        var result = NabCrossValidation.Select(Candidates("first", "second"), [Categories([4, 4, 4], 0), Categories([4, 4, 4], 0)]);

        Assert.All(result.Folds, static f => Assert.Equal("first", f.Selected));
    }

    [Fact]
    public void Select_FewerThanTwoCategoriesWithWindows_Throws()
    {
        IReadOnlyList<NabCategoryResult> one = [new("A", Tally(5)), new("N", default(NabTally) with { Files = 1 })];

        var ex = Assert.Throws<ArgumentException>(() => NabCrossValidation.Select(Candidates("X"), [one]));

        Assert.Contains("at least two categories with windows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_CandidatesAndTalliesDiffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => NabCrossValidation.Select(Candidates("X", "Y"), [Categories([1, 1, 1], 0)]));
        Assert.Throws<ArgumentException>(() => NabCrossValidation.Select(Candidates(), []));
    }

    [Fact]
    public void Run_Corpus_TheOracleWinsEveryFoldAndScoresItsHeldOutCategory()
    {
        var corpus = new NabCorpus
        {
            Root = "memory",
            Series =
            [
                NabTestData.Series("a", "one.csv", 200, (100, 110)),
                NabTestData.Series("b", "two.csv", 200, (100, 120)),
                NabTestData.Series("c", "three.csv", 200, (100, 105)),
                NabTestData.Series("none", "quiet.csv", 200),
            ],
        };
        var starts = corpus.Series.SelectMany(static s => s.Windows.Select(static w => w.Start)).ToHashSet();
        var oracle = new StreamingAnomalyScorerRegistration { Name = "oracle", DefaultThreshold = 0.5, Create = () => new FiresAt(starts) };
        var quiet = NabCommand.CreateRegistry();
        Assert.True(quiet.TryGet(StreamingAnomalyScorerRegistry.NullName, out var nothing));

        var result = NabCrossValidation.Run(corpus, [nothing, oracle]);

        Assert.Equal(["a", "b", "c"], result.Folds.Select(static f => f.HeldOut));
        Assert.All(result.Folds, static f => Assert.Equal("oracle", f.Selected));
        Assert.All(result.Folds, static f => Assert.Equal(100.0, f.Score, 9));
        Assert.Equal(100.0, result.Mean, 9);
        Assert.Equal(2, result.Configurations);
        // The oracle fires at row 100 of every file, so once on the file without windows.
        Assert.All(result.Folds, static f => Assert.Equal(1, f.NoAnomalyFalsePositiveRows));
    }

    [Fact]
    public void Select_WithAProfile_SelectsAndScoresByThatProfile()
    {
        // X hits 8 of 10 windows with false positives worth -20, Y hits 6 with none. Standard (fp 0.11): X 100 * (8 - 2.2
        // - 2 + 10) / 20 = 69 beats Y's 60. reward_low_FP (fp 0.22): X 58, so Y wins and scores 60 on every fold.
        var candidates = Candidates("X", "Y");
        NabTally x = Tally(8) with { FalsePositiveSum = -20 };
        NabTally y = Tally(6);
        IReadOnlyList<NabCategoryResult>[] tallies =
        [
            [new("A", x), new("B", x), new("C", x)],
            [new("A", y), new("B", y), new("C", y)],
        ];

        var standard = NabCrossValidation.Select(candidates, tallies);
        var lowFalsePositives = NabCrossValidation.Select(candidates, tallies, NabProfile.RewardLowFalsePositives);

        Assert.All(standard.Folds, f => Assert.Equal("X", f.Selected));
        Assert.Equal(69.0, standard.Mean, 9);
        Assert.All(lowFalsePositives.Folds, f => Assert.Equal("Y", f.Selected));
        Assert.Equal(60.0, lowFalsePositives.Mean, 9);
        Assert.Equal("Y", lowFalsePositives.FinalSelection);
    }

    private static StreamingAnomalyScorerRegistration[] Candidates(params string[] names) =>
        [.. names.Select(static n => new StreamingAnomalyScorerRegistration { Name = n, DefaultThreshold = 0.5, Create = static () => new NullAnomalyScorer() })];

    private static IReadOnlyList<NabCategoryResult> Categories(int[] hits, long noAnomalyRows) =>
    [
        new("A", Tally(hits[0])),
        new("B", Tally(hits[1])),
        new("C", Tally(hits[2])),
        new("N", default(NabTally) with { Files = 1, FalsePositiveRows = noAnomalyRows, NoAnomalyFalsePositiveRows = noAnomalyRows }),
    ];

    // Ten windows; each hit worth 1 and no false positive, so the standard score is 10 x hits.
    private static NabTally Tally(int hits) => new() { Files = 1, Windows = 10, WindowsHit = hits, TruePositiveSum = hits };

    private sealed class FiresAt(HashSet<DateTime> rows) : IStreamingAnomalyDetector
    {
        public long PointsSeen { get; private set; }

        public int StateSizeBytes => 0;

        public AnomalyResult Update(DateTimeOffset timestamp, double value)
        {
            PointsSeen++;
            var score = rows.Contains(timestamp.UtcDateTime) ? 1.0 : 0.0;
            return new AnomalyResult(score, score >= 0.5, value, value, value, 0, AnomalyType.Spike);
        }

        public void Reset() => PointsSeen = 0;
    }
}
