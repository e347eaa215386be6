using AnalyticsHub.Evaluation.Incidents;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class IncidentMatcherTests
{
    private static IReadOnlyList<IncidentMatch> Match(HashSet<Guid>[] truth, HashSet<Guid>[] predicted) => IncidentMatcher.Match(truth, predicted);

    [Fact]
    public void Match_JaccardExactlyHalf_Matches()
    {
        var matches = Match([Set(1, 2)], [Set(1)]);

        var match = Assert.Single(matches);
        Assert.Equal(0.5, match.Jaccard);
        Assert.Equal((0, 0, 1, 2), (match.TrueIndex, match.PredictedIndex, match.Intersection, match.Union));
    }

    [Fact]
    public void Match_JaccardJustBelowHalf_DoesNotMatch()
    {
        Assert.Empty(Match([Set(1, 2, 3)], [Set(1, 4)]));
    }

    [Fact]
    public void Match_TwoPredictionsTieForOneTruth_EarlierPredictionWins()
    {
        var match = Assert.Single(Match([Set(1, 2)], [Set(2), Set(1)]));

        Assert.Equal(0, match.PredictedIndex);
    }

    [Fact]
    public void Match_OnePredictionTiesForTwoTruths_LowerTrueIndexWins()
    {
        var match = Assert.Single(Match([Set(1), Set(2)], [Set(1, 2)]));

        Assert.Equal(0, match.TrueIndex);
    }

    [Fact]
    public void Match_HigherJaccardFirst_EvenForALaterTruth()
    {
        // P0 has J = 3/4 with T0 and J = 1 with T1; T1 takes it and T0 stays unmatched.
        var match = Assert.Single(Match([Set(1, 2, 3, 4), Set(1, 2, 3)], [Set(1, 2, 3)]));

        Assert.Equal(1, match.TrueIndex);
        Assert.Equal(1.0, match.Jaccard);
    }

    [Fact]
    public void Match_EqualRatiosFromDifferentSizes_TieAndFallBackToIndexes()
    {
        // J(T0, P0) = 2/4 and J(T1, P1) = 1/2 are equal; both pairs match, in true-index order.
        var matches = Match([Set(1, 2, 3), Set(5, 6)], [Set(1, 2, 4), Set(5)]);

        Assert.Equal([(0, 0), (1, 1)], matches.Select(m => (m.TrueIndex, m.PredictedIndex)));
    }

    [Fact]
    public void Match_GreedyChoice_IsOneToOne()
    {
        var matches = Match([Set(1, 2), Set(1, 2, 3)], [Set(1, 2), Set(1, 2)]);

        Assert.Equal(2, matches.Count);
        Assert.Equal(2, matches.Select(m => m.TrueIndex).Distinct().Count());
        Assert.Equal(2, matches.Select(m => m.PredictedIndex).Distinct().Count());
        Assert.Equal((0, 0), (matches[0].TrueIndex, matches[0].PredictedIndex));
    }

    [Fact]
    public void Match_EmptySets_NeverMatch()
    {
        Assert.Empty(Match([Set()], [Set()]));
        Assert.Empty(Match([Set()], [Set(1)]));
        Assert.Empty(Match([], [Set(1)]));
    }
}
