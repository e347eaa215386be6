using AnalyticsHub.Simulation.Traffic;
using FsCheck;
using FsCheck.Xunit;

namespace AnalyticsHub.Simulation.Tests.Traffic;

/// <summary>Laws of the material-rise test: more added traffic is never less material, more baseline traffic never more.</summary>
public sealed class TrafficModelProperties
{
    [Property]
    public bool TrafficModel_RiseZ_GrowsWithTheAddedRate_ShrinksWithTheBaseline(PositiveInt added, PositiveInt extra, PositiveInt baseline, PositiveInt minutes)
    {
        var traffic = new TrafficModel([], 1, nightlyBatch: false, noise: 1.5, aggregateIntervalSeconds: 60);
        var a = added.Get / 100.0;
        var b = baseline.Get / 100.0;
        var seconds = minutes.Get * 60.0;
        return traffic.RiseZ(a + (extra.Get / 100.0), b, seconds) > traffic.RiseZ(a, b, seconds)
            && traffic.RiseZ(a, b + (extra.Get / 100.0), seconds) <= traffic.RiseZ(a, b, seconds);
    }
}
