using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public class ZScoreAnomalyScorerTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Update_TinySeries_MatchesHandComputation()
    {
        var scorer = new ZScoreAnomalyScorer(windowSize: 3);
        var t = NabTestData.Origin;

        // Fewer than two previous points: 0.
        Assert.Equal(0.0, scorer.Update(t, 1).Score);
        Assert.Equal(0.0, scorer.Update(t, 2).Score);

        // Previous {1, 2}: mean 1.5, population sd 0.5, z = 3.
        Assert.Equal(1 - Math.Exp(-9.0 / 8.0), scorer.Update(t, 3).Score, Tolerance);

        // Previous {1, 2, 3}: mean 2, variance 2/3, z^2 = 64 / (2/3) = 96.
        Assert.Equal(1 - Math.Exp(-96.0 / 8.0), scorer.Update(t, 10).Score, Tolerance);

        // Window full, 1 evicted: previous {2, 3, 10}: mean 5, variance 38/3, z^2 = 1 / (38/3) = 3/38.
        Assert.Equal(1 - Math.Exp(-(3.0 / 38.0) / 8.0), scorer.Update(t, 4).Score, Tolerance);
    }

    [Fact]
    public void Update_ConstantHistory_ScoresZeroForSameValueAndOneForAnyOther()
    {
        var scorer = new ZScoreAnomalyScorer(windowSize: 4);
        var t = NabTestData.Origin;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(0.0, scorer.Update(t, 1e6 + 0.1).Score);
        }

        Assert.Equal(1.0, scorer.Update(t, 1e6 + 0.2).Score);
    }

    [Fact]
    public void Score_DefaultWindow_Is576Points()
    {
        Assert.Equal(576, new ZScoreAnomalyScorer().WindowSize);
    }

    [Fact]
    public void Constructor_WindowBelowTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZScoreAnomalyScorer(1));
    }

    [Fact]
    public void Update_SteadyState_AllocatesNothing()
    {
        var scorer = new ZScoreAnomalyScorer();
        var t = NabTestData.Origin;
        for (var i = 0; i < 2000; i++)
        {
            scorer.Update(t, i % 17);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0.0;
        for (var i = 0; i < 10_000; i++)
        {
            sum += scorer.Update(t, i % 23).Score;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }
}
