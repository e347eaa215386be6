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
    public bool Count_TheRestOfTrafficNeverAddsEvidence(byte usual, byte restFactor, byte drift, byte observed)
    {
        // A count learned at a share of the rest of traffic, then the rest drifting by up to 10 % and any count: judged
        // with the rest, the evidence is never more than the Poisson evidence against the detector's expected value.
        var own = 1 + (usual % 40);
        var rest = own * (1 + (restFactor % 10));
        var withRest = new VolumeEvidence(AnomalyStatistic.Count);
        var without = new VolumeEvidence(AnomalyStatistic.Count);
        for (var i = 0; i < 2 * VolumeEvidence.MinimumShareWindows; i++)
        {
            withRest.ObserveRestOfTraffic(rest);
            withRest.Learn(VolumeEvidenceTests.Requests(own, 0));
            withRest.ForgetRestOfTraffic();
            without.Learn(VolumeEvidenceTests.Requests(own, 0));
        }

        withRest.ObserveRestOfTraffic(rest * (1 + ((drift % 21) - 10) / 100.0));
        var value = observed % 120;
        return withRest.ZScore(value, own, default) <= without.ZScore(value, own, default);
    }
}
