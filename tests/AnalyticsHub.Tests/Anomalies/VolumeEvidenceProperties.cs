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
}
