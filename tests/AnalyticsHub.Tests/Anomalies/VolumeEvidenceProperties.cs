using AnalyticsHub.Anomalies;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Anomalies;

public class VolumeEvidenceProperties
{
    [Property(MaxTest = 100)]
    public bool Mean_ErrorShrinksWithTheSquareRootOfTheCount(byte smallCount, byte factor)
    {
        var evidence = VolumeEvidenceTests.ErrorRateAtTwoPercent();
        var n = 1 + (smallCount % 50);
        var k = 1 + (factor % 8);
        var small = VolumeEvidenceTests.Requests(n, 0);
        var large = VolumeEvidenceTests.Requests(n * k * k, 0);

        // The same departure, k² times the values: k times the evidence (both terms of Bernstein's bound grow with n).
        var ratio = evidence.ZScore(30, 2, large) / evidence.ZScore(30, 2, small);
        return Math.Abs(ratio - k) < 1e-9 * k;
    }

    [Property(MaxTest = 100)]
    public bool Count_ThatKeepsItsShareOfTraffic_IsNoEvidence_HoweverTheTrafficMoves(byte usual, byte restFactor, byte factor)
    {
        // A count learned at a share of the rest of traffic, then all of the traffic scaled by k: its departure from the
        // detector's expected value may be large, but judged against its share it is none.
        var own = 1 + (usual % 40);
        var rest = own * (1 + (restFactor % 10));
        var k = 1 + (factor % 10);
        var evidence = new VolumeEvidence(AnomalyStatistic.Count) { RestOfTraffic = rest };
        for (var i = 0; i < 2 * VolumeEvidence.MinimumShareWindows; i++)
        {
            evidence.Learn(VolumeEvidenceTests.Requests(own, 0));
        }

        evidence.RestOfTraffic = rest * k;
        return evidence.ZScore(own * k, own, default) < 1e-9;
    }
}
