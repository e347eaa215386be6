using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public sealed class NabRunnerTests : IDisposable
{
    private readonly TempNabFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Run_Corpus_UsesAFreshDetectorPerFileAndGroupsByCategory()
    {
        var csv = "timestamp,value\n" + string.Join('\n', Enumerable.Range(0, 100).Select(i =>
            NabTestData.At(i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "," + (i == 60 ? 50 : i % 3)));
        _folder.WriteCsv("b", "one.csv", csv);
        _folder.WriteCsv("b", "two.csv", csv);
        _folder.WriteCsv("a", "quiet.csv", csv);
        _folder.WriteWindows("""
            {
              "b/one.csv": [["2024-01-01 05:00:00.000000", "2024-01-01 05:30:00.000000"]],
              "b/two.csv": [["2024-01-01 05:00:00.000000", "2024-01-01 05:30:00.000000"]],
              "a/quiet.csv": []
            }
            """);
        var created = 0;
        var detector = new StreamingAnomalyScorerRegistration
        {
            Name = "zscore-counted",
            DefaultThreshold = 0.9,
            Create = () =>
            {
                created++;
                return new ZScoreAnomalyScorer(10);
            },
        };

        var run = NabRunner.Run(NabLoader.Load(_folder.Root), detector);

        Assert.Equal(3, created);
        Assert.Equal(0.9, run.Threshold);
        Assert.Equal(run.Files[1].Scores, run.Files[2].Scores);
        var categories = run.ByCategory();
        Assert.Equal(["a", "b"], categories.Select(c => c.Category));
        Assert.Equal(2, categories[1].Tally.Windows);
        Assert.Equal(2, categories[1].Tally.WindowsHit);
        Assert.Equal(100.0, categories[1].Tally.Normalised(NabProfile.Standard)!.Value, 1e-9);
        Assert.Equal(3, run.Total.Files);
        Assert.Equal(run.Total.NoAnomalyFalsePositiveRows, categories[0].Tally.FalsePositiveRows);
    }

    [Fact]
    public void Run_GivenThreshold_OverridesTheFrozenOne()
    {
        _folder.WriteCsv("a", "x.csv", "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2");
        _folder.WriteWindows("""{"a/x.csv": []}""");
        var registry = StreamingAnomalyScorerRegistry.CreateWithBaselines();
        Assert.True(registry.TryGet("null", out var detector));

        var run = NabRunner.Run(NabLoader.Load(_folder.Root), detector, threshold: 0.0);

        Assert.Equal(0.0, run.Threshold);
        Assert.Equal(2, run.Total.FalsePositiveRows);
    }
}
