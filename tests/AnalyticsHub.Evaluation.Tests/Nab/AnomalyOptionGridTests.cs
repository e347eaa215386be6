using AnalyticsHub.Anomalies;
using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public sealed class AnomalyOptionGridTests
{
    [Fact]
    public void Expand_TwoAxes_GivesEveryCombinationLastAxisFastest()
    {
        var grid = AnomalyOptionGrid.Expand([("MinimumDeviation", ["6", "8"]), ("Components", ["Level|Shift", "Neighbours"])]);

        Assert.Equal(
            ["MinimumDeviation=6 Components=Level|Shift", "MinimumDeviation=6 Components=Neighbours", "MinimumDeviation=8 Components=Level|Shift", "MinimumDeviation=8 Components=Neighbours"],
            grid.Select(static c => c.Label));
        Assert.Equal(6.0, grid[1].Options.MinimumDeviation);
        Assert.Equal(AnomalyDetectorComponents.Level | AnomalyDetectorComponents.Shift, grid[2].Options.Components);
        Assert.Equal(AnomalyDetectorOptions.Default.LongWindow, grid[3].Options.LongWindow);
    }

    [Fact]
    public void Expand_NoAxis_IsTheFrozenDefaults()
    {
        var only = Assert.Single(AnomalyOptionGrid.Expand([]));

        Assert.Equal(string.Empty, only.Label);
        Assert.Equal(AnomalyDetectorOptions.Default, only.Options);
    }

    [Theory]
    [InlineData("Colour", "1", "unknown option 'Colour'")]
    [InlineData("LongWindow", "big", "option LongWindow: 'big' is not a valid value")]
    [InlineData("LongWindow", "99999999999", "option LongWindow: '99999999999' is out of range")]
    [InlineData("ShortWindow", "4096", "ShortWindow 4096 must be at least 2 and below LongWindow")]
    public void Expand_BadAxis_ThrowsNamingTheProblem(string name, string value, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => AnomalyOptionGrid.Expand([(name, [value])]));

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Threshold=0.4,0.5", true)]
    [InlineData("Threshold=", false)]
    [InlineData("=1", false)]
    [InlineData("Threshold", false)]
    public void TryParseAxis_NeedsNameEqualsAndValues(string text, bool valid)
    {
        Assert.Equal(valid, AnomalyOptionGrid.TryParseAxis(text, out _));
    }
}
