using AnalyticsHub.Evaluation.Incidents;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class PairCountsProperties
{
    /// <summary>Random partitions of up to 12 events into up to 4 groups, or no group (-1), on each side.</summary>
    private static Arbitrary<(int[] Truth, int[] Predicted)> Partitions() =>
        (from truth in Gen.ArrayOf(Gen.Choose(-1, 3), 12)
         from predicted in Gen.ArrayOf(Gen.Choose(-1, 3), 12)
         select (truth, predicted)).ToArbitrary();

    [Property]
    public Property Compute_DisjointGroups_EqualsBruteForcePairEnumeration() =>
        Prop.ForAll(Partitions(), p =>
        {
            var counts = PairCounts.Compute(Groups(p.Truth), Groups(p.Predicted));
            long truePairs = 0, predictedPairs = 0, both = 0;
            for (var a = 0; a < p.Truth.Length; a++)
            {
                for (var b = a + 1; b < p.Truth.Length; b++)
                {
                    var sameTrue = p.Truth[a] >= 0 && p.Truth[a] == p.Truth[b];
                    var samePredicted = p.Predicted[a] >= 0 && p.Predicted[a] == p.Predicted[b];
                    truePairs += sameTrue ? 1 : 0;
                    predictedPairs += samePredicted ? 1 : 0;
                    both += sameTrue && samePredicted ? 1 : 0;
                }
            }

            return counts == new PairCounts(truePairs, predictedPairs, both);
        });

    private static HashSet<Guid>[] Groups(int[] assignment)
    {
        var groups = new HashSet<Guid>[4];
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g] = [];
        }

        for (var e = 0; e < assignment.Length; e++)
        {
            if (assignment[e] >= 0)
            {
                groups[assignment[e]].Add(IncidentTruths.Id(e + 1));
            }
        }

        return groups;
    }
}
