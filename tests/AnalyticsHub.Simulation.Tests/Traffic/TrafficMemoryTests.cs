using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Simulation.Tests.Traffic;

/// <summary>Runs alone: process-wide memory readings mean nothing while other tests allocate.</summary>
[CollectionDefinition(nameof(SerialMemoryCollection), DisableParallelization = true)]
public sealed class SerialMemoryCollection;

[Collection(nameof(SerialMemoryCollection))]
public sealed class TrafficMemoryTests
{
    [Fact]
    public void Generate_LongScenario_QueueStaysBounded()
    {
        var shortRun = new TrafficSimulation(Scenarios.Small(new ScenarioKnobs()) with { DurationHours = 1 }, Scenarios.Clock());
        var longRun = new TrafficSimulation(Scenarios.Small(new ScenarioKnobs()) with { DurationHours = 72 }, Scenarios.Clock());
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var count = 0L;
        foreach (var unused in longRun.Generate())
        {
            count++;
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        _ = shortRun.Generate().Count();

        Assert.True(count > 300_000, $"only {count} events");
        Assert.InRange(longRun.LastPeakQueued, 1, Math.Max(64, 4 * shortRun.LastPeakQueued));
        // The truth keeps capped members and counters, never the stream.
        Assert.True(after - before < 8 * 1024 * 1024, $"{after - before} bytes retained");
    }
}
