using AnalyticsHub.Evaluation.Incidents;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class PairLossTests
{
    [Fact]
    public void Compute_HandExample_SplitsLostAndFalsePairsByWhy()
    {
        // Truth {1..5} {6,7}. Predicted {1,2,8,9} {3,6,7}: 4 and 5 in none (5 covered by an episode, 4 not),
        // 3 elsewhere; 8 an aggregate and 9 an episode's event the truth does not list; 3 an outsider of the second.
        IReadOnlySet<Guid>[] truth = [Set(1, 2, 3, 4, 5), Set(6, 7)];
        IReadOnlySet<Guid>[] predicted = [Set(1, 2, 8, 9), Set(3, 6, 7)];
        var sources = new Dictionary<Guid, MemberSource> { [Id(8)] = MemberSource.Aggregate, [Id(9)] = MemberSource.Episode };

        var (lost, falsePairs) = PairLoss.Compute(truth, predicted, sources, Set(5, 9));

        // T0: 10 pairs, 1 together. Undetected 4: C(5,2) − C(4,2) = 4; unjoined 5: C(4,2) − C(3,2) = 3; the placed
        // {1,2,3} form 3 pairs, 1 together: 2 split, member 3 outside the largest group.
        Assert.Equal(new TrueIncidentPairLoss(5, 10, 1, 4, 1, 3, 1, 2, 1), lost[0]);
        Assert.Equal(new TrueIncidentPairLoss(2, 1, 1, 0, 0, 0, 0, 0, 0), lost[1]);

        // P0 best T0 (1,2): 6 pairs, 1 true; false 5: 8 with 1 and 2 (2) and half of (8,9); 9 likewise.
        Assert.Equal(0, falsePairs[0].Best);
        Assert.Equal(5, falsePairs[0].False);
        Assert.Equal([0.0, 2.5, 2.5], falsePairs[0].BySource);
        Assert.Equal([0, 1, 1], falsePairs[0].OutsidersBySource);
        Assert.Equal(0, falsePairs[0].OtherIncidentOutsiders);

        // P1 best T1 (6,7): member 3 of T0 is an outsider of another incident, named by the engine itself.
        Assert.Equal(1, falsePairs[1].Best);
        Assert.Equal(2, falsePairs[1].False);
        Assert.Equal([2.0, 0.0, 0.0], falsePairs[1].BySource);
        Assert.Equal(1, falsePairs[1].OtherIncidentOutsiders);
    }

    [Fact]
    public void Compute_SumsToThePairCounts()
    {
        IReadOnlySet<Guid>[] truth = [Set(1, 2, 3, 4, 5, 6), Set(7, 8, 9), Set(2, 10)];
        IReadOnlySet<Guid>[] predicted = [Set(1, 2, 7, 11), Set(3, 4, 8, 9, 12, 13), Set(4, 5, 10)];
        var counts = PairCounts.Compute(truth, predicted);

        var (lost, falsePairs) = PairLoss.Compute(truth, predicted, new Dictionary<Guid, MemberSource>(), Set(6));

        Assert.Equal(counts.TruePairs - counts.BothPairs, lost.Sum(l => l.Undetected + l.Unjoined + l.Split));
        Assert.Equal(counts.PredictedPairs - counts.BothPairs, falsePairs.Sum(f => f.False));
        Assert.Equal(counts.PredictedPairs - counts.BothPairs, falsePairs.Sum(f => f.BySource.Sum()), 9);
    }
}
