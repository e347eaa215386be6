using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public class RandomAnomalyScorerTests
{
    [Fact]
    public void Update_SameSeed_GivesSameSequence()
    {
        var first = new RandomAnomalyScorer(7);
        var second = new RandomAnomalyScorer(7);

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(first.Update(NabTestData.At(i), i).Score, second.Update(NabTestData.At(i), -i).Score);
        }
    }

    [Fact]
    public void Update_DifferentSeeds_GiveDifferentSequences()
    {
        var first = new RandomAnomalyScorer(7);
        var second = new RandomAnomalyScorer(8);

        var same = Enumerable.Range(0, 100).Count(i => first.Update(NabTestData.At(i), 0).Score == second.Update(NabTestData.At(i), 0).Score);

        Assert.Equal(0, same);
    }

    [Fact]
    public void Update_ManyDraws_StayInUnitIntervalWithMeanNearHalf()
    {
        var scorer = new RandomAnomalyScorer();
        var draws = Enumerable.Range(0, 100_000).Select(i => scorer.Update(NabTestData.Origin, 0).Score).ToArray();

        Assert.All(draws, d => Assert.InRange(d, 0.0, 0.9999999999999999));
        Assert.InRange(draws.Average(), 0.49, 0.51);
    }

    [Fact]
    public void Update_DefaultSeed_IsPinned()
    {
        // Pins the generator so frozen thresholds and published baseline scores stay reproducible.
        var scorer = new RandomAnomalyScorer();
        var expected = new RandomAnomalyScorer(RandomAnomalyScorer.DefaultSeed);

        Assert.Equal(expected.Update(NabTestData.Origin, 0).Score, scorer.Update(NabTestData.Origin, 0).Score);
    }
}
