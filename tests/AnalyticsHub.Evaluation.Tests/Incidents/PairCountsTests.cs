using AnalyticsHub.Evaluation.Incidents;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class PairCountsTests
{
    [Fact]
    public void Compute_HandExample_CountsPairsAndF1()
    {
        // Truth {1,2,3} {4,5}: 3 + 1 = 4 pairs. Predicted {1,2} {3,4,5,6}: 1 + 6 = 7 pairs.
        // Shared: (1,2) and (4,5). F1 = 2·2 / (4 + 7).
        var counts = PairCounts.Compute([Set(1, 2, 3), Set(4, 5)], [Set(1, 2), Set(3, 4, 5, 6)]);

        Assert.Equal(new PairCounts(4, 7, 2), counts);
        Assert.Equal(4.0 / 11.0, counts.F1, 12);
    }

    [Fact]
    public void Compute_NoPairsOnEitherSide_F1IsOne()
    {
        Assert.Equal(1.0, PairCounts.Compute([Set(1)], [Set(2)]).F1);
        Assert.Equal(1.0, PairCounts.Compute([], []).F1);
    }

    [Fact]
    public void Compute_PairsOnOneSideOnly_F1IsZero()
    {
        Assert.Equal(0.0, PairCounts.Compute([Set(1, 2)], []).F1);
        Assert.Equal(0.0, PairCounts.Compute([], [Set(1, 2)]).F1);
    }

    [Fact]
    public void Compute_EventInTwoGroups_CountsInTheFirstOnly()
    {
        // Predicted {1,2} then {2,3}: event 2 stays in the first group, so the second holds only 3.
        var counts = PairCounts.Compute([Set(2, 3)], [Set(1, 2), Set(2, 3)]);

        Assert.Equal(new PairCounts(1, 1, 0), counts);
    }
}
