using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public class StreamingAnomalyScorerRegistryTests
{
    [Fact]
    public void CreateWithBaselines_RegistersNullRandomAndZScoreButNotDefault()
    {
        var registry = StreamingAnomalyScorerRegistry.CreateWithBaselines();

        Assert.Equal(["null", "random", "zscore"], registry.Names);
        Assert.False(registry.TryGet("default", out _));
        Assert.True(registry.TryGet("zscore", out var zscore));
        Assert.IsType<ZScoreAnomalyScorer>(zscore.Create());
        Assert.Equal(StreamingAnomalyScorerRegistry.ZScoreThreshold, zscore.DefaultThreshold);
    }

    [Fact]
    public void Create_EachCall_ReturnsAFreshInstance()
    {
        var registry = StreamingAnomalyScorerRegistry.CreateWithBaselines();
        Assert.True(registry.TryGet("random", out var random));

        Assert.NotSame(random.Create(), random.Create());
    }

    [Fact]
    public void Register_ExtraDetector_IsFoundByNameIgnoringCase()
    {
        var registry = StreamingAnomalyScorerRegistry.CreateWithBaselines();
        registry.Register(new StreamingAnomalyScorerRegistration { Name = "default", DefaultThreshold = 0.7, Create = () => new NullAnomalyScorer() });

        Assert.True(registry.TryGet("DEFAULT", out var found));
        Assert.Equal(0.7, found.DefaultThreshold);
        Assert.Contains("default", registry.Names);
    }

    [Fact]
    public void Register_DuplicateName_Throws()
    {
        var registry = StreamingAnomalyScorerRegistry.CreateWithBaselines();

        Assert.Throws<ArgumentException>(() => registry.Register(new StreamingAnomalyScorerRegistration { Name = "ZScore", DefaultThreshold = 0.5, Create = () => new NullAnomalyScorer() }));
    }

    [Fact]
    public void Register_NonFiniteThreshold_Throws()
    {
        var registry = new StreamingAnomalyScorerRegistry();

        Assert.Throws<ArgumentException>(() => registry.Register(new StreamingAnomalyScorerRegistration { Name = "x", DefaultThreshold = double.NaN, Create = () => new NullAnomalyScorer() }));
    }
}
