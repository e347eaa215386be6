using AnalyticsHub.Benchmarks.Storage;
using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Policies;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.Policies;

/// <summary>
/// The <c>policies</c> stage on a batch of 1,000 stored events with 100 active policies, of which 10 apply to every event
/// (5 global, 5 scoped to the events' team; the other 90 scoped to other teams, users and models) and none matches.
/// Reported per event. Target (PERFORMANCE.md): the stage adds ≤ 0.5 µs per ingested event.
/// </summary>
[MemoryDiagnoser]
public class PolicyStageBenchmarks
{
    private const int Events = 1_000;

    private static readonly string[] Conditions =
    [
        "tags.region == \"nowhere-{0}\"",
        "severity == \"critical\" && environment == \"env-{0}\"",
        "tags.model_id == \"model-{0}\" && tags.region == \"none\"",
        "environment in [\"env-a\", \"env-{0}\"] || tags.team == \"other-{0}\"",
        "tags.region != \"region-0\" && tags.model_id == \"m-{0}\"",
    ];

    private PolicyStage _stage = null!;
    private AnalyticsEvent[] _events = null!;

    /// <summary>Stores the 100 policies and builds the events (the storage benchmarks' mix, tagged with one team).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var registry = PolicyWorkload.HundredPolicies(Conditions);
        _events = [.. EventWorkload.Generate(Events).Select(e => e with
        {
            Common = e.Common with { Tags = new Dictionary<string, string>(e.Common.Tags) { ["team"] = "search" } },
        })];
        _stage = new PolicyStage(registry, PolicyHubState.None, new HubMeter());
        var batch = Run();
        if (batch.Derived.Count != 0)
        {
            throw new InvalidOperationException($"Expected no violation; got {batch.Derived.Count}.");
        }
    }

    /// <summary>One batch of 1,000 events through the stage (reported per event).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int ProcessBatch() => Run().Derived.Count;

    private IngestionBatch Run()
    {
        var batch = new IngestionBatch(_events);
        _stage.ProcessAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return batch;
    }
}
