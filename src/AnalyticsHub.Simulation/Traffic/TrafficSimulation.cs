using System.Runtime.CompilerServices;
using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// A seeded, deterministic generator of realistic multi-module LLM traffic with injected incidents and
/// ground truth. Events stream in delivery order without the scenario being held in memory.
/// </summary>
/// <example>
/// <code>
/// var simulation = new TrafficSimulation(ScenarioConfig.Medium, timeProvider);
/// foreach (var evt in simulation.Generate()) { /* ingest */ }
/// GroundTruth truth = simulation.GroundTruth;
/// </code>
/// </example>
/// <remarks>
/// Each call of <see cref="Generate"/> replays the scenario from scratch: the same config, seed and end
/// instant give the same events (ids included). Events come in event-time order, except where a
/// knob says otherwise (late roots, clock skew, duplicates). Memory is O(sources): a priority queue of
/// per-source next-event times, plus retries and duplicates in flight. Not thread-safe; enumerate one
/// stream at a time.
/// </remarks>
public sealed class TrafficSimulation
{
    private GroundTruth? _truth;

    /// <summary>Creates a simulation of <paramref name="config"/>.</summary>
    /// <param name="config">The scenario; validated here.</param>
    /// <param name="timeProvider">The clock that supplies the end of the timeline when the config has none; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ScenarioConfigException">The config is invalid; the message names every problem's JSON path.</exception>
    public TrafficSimulation(ScenarioConfig config, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        Config = config;
        var end = (config.End ?? (timeProvider ?? TimeProvider.System).GetUtcNow()).ToUniversalTime();
        // Whole milliseconds, so that the end is exactly representable on the wire.
        var endTicks = end.UtcTicks - (end.UtcTicks % TimeSpan.TicksPerMillisecond);
        End = new DateTimeOffset(endTicks, TimeSpan.Zero);
        Start = End - TimeSpan.FromHours(config.DurationHours);
    }

    /// <summary>The scenario.</summary>
    public ScenarioConfig Config { get; }

    /// <summary>The first instant of the timeline.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The last instant of the timeline: no event's true time lies after it.</summary>
    public DateTimeOffset End { get; }

    /// <summary>The largest number of items the last completed stream held queued at once (sources, retries, duplicates).</summary>
    internal int LastPeakQueued { get; private set; }

    /// <summary>
    /// The ground truth of the last stream enumerated to its end; when there is none yet, a stream is
    /// generated and discarded to build it.
    /// </summary>
    public GroundTruth GroundTruth
    {
        get
        {
            if (_truth is null)
            {
                foreach (var unused in Generate())
                {
                    _ = unused;
                }
            }

            return _truth!;
        }
    }

    /// <summary>
    /// The truth as planned, before any event is generated: incidents with their roots (external ones),
    /// stages, links, affected series and windows, distractors, and the delivery knobs; no members,
    /// onsets, impact or counts. Enough to set up anything that needs the affected series before streaming.
    /// </summary>
    public GroundTruth PlannedGroundTruth() => NewRun().BuildTruth();

    /// <summary>Every (model, region) series the rate-boosting incidents add traffic to, with the rule's reading and whether the truth lists it.</summary>
    internal IReadOnlyList<VolumeCandidate> PlannedVolumeCandidates() => [.. NewRun().Incidents.SelectMany(i => i.VolumeCandidates)];

    /// <summary>Streams the scenario's events in delivery order.</summary>
    public IEnumerable<AnalyticsEvent> Generate()
    {
        var run = NewRun();
        foreach (var evt in run.Events())
        {
            yield return evt;
        }

        LastPeakQueued = run.PeakQueued;
        _truth = run.BuildTruth();
    }

    /// <summary>Streams the scenario's events in delivery order, asynchronously.</summary>
    /// <param name="cancellationToken">Stops the stream.</param>
    public async IAsyncEnumerable<AnalyticsEvent> GenerateAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var count = 0;
        foreach (var evt in Generate())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return evt;
            if (++count % 4096 == 0)
            {
                // Generation is CPU-bound; let other work run now and then.
                await Task.Yield();
            }
        }
    }

    private SimulationRun NewRun() => new(Config, Start.UtcTicks, End.UtcTicks);
}
