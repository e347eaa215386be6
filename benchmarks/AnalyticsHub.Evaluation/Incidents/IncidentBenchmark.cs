using System.Diagnostics;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>Runs incident engines over generated scenarios and scores them.</summary>
/// <remarks>
/// Each scenario is generated once, with its member cap raised to at least <see cref="ScoringMemberCap"/>; its events go in batches of <see cref="BatchSize"/> to a fresh
/// instance of every engine in turn, and the engine's time is measured with <see cref="Stopwatch"/>
/// around each batch of <see cref="IIncidentEngine.Observe"/> calls and around
/// <see cref="IIncidentEngine.Finish"/>, so generation and labelling are not counted. After the stream, the derived
/// events each engine emitted are mapped to their evidence (<see cref="IncidentEventLabeler.ForEngine"/>).
/// </remarks>
public static class IncidentBenchmark
{
    /// <summary>Events handed to each engine per timed batch.</summary>
    public const int BatchSize = 4096;

    /// <summary>The least <c>max_members_per_incident</c> of a scored scenario, so no true incident is cut short.</summary>
    public const int ScoringMemberCap = 100_000;

    /// <summary>Runs every engine over every scenario.</summary>
    /// <param name="scenarios">The scenarios, each generated once, in order.</param>
    /// <param name="engines">The engines; a fresh instance per scenario.</param>
    /// <param name="timeProvider">The clock that ends a scenario without an <c>end</c>; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="breakdown">When given, the per-incident breakdown of every engine's run on every scenario is written here.</param>
    /// <returns>One report per engine, in the order given.</returns>
    public static IReadOnlyList<IncidentEngineReport> Run(
        IEnumerable<ScenarioConfig> scenarios, IReadOnlyList<IncidentEngineRegistration> engines, TimeProvider? timeProvider = null, TextWriter? breakdown = null)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(engines);
        var scorers = new IncidentScorer[engines.Count];
        for (var e = 0; e < scorers.Length; e++)
        {
            scorers[e] = new IncidentScorer();
        }

        foreach (var given in scenarios)
        {
            var config = given with { Knobs = given.Knobs with { MaxMembersPerIncident = Math.Max(given.Knobs.MaxMembersPerIncident, ScoringMemberCap) } };
            var simulation = new TrafficSimulation(config, timeProvider);
            var planned = simulation.PlannedGroundTruth();
            var labeler = new IncidentEventLabeler(planned);
            var scenario = new IncidentScenario { Config = config, End = planned.End, PlannedTruth = planned };
            var instances = new IIncidentEngine[engines.Count];
            var ticks = new long[engines.Count];
            for (var e = 0; e < instances.Length; e++)
            {
                instances[e] = engines[e].Create(scenario);
            }

            var names = breakdown is null ? null : new IncidentBreakdown();
            var batch = new AnalyticsEvent[BatchSize];
            var filled = 0;
            long events = 0;
            foreach (var evt in simulation.Generate())
            {
                labeler.Observe(evt);
                names?.Observe(evt);
                batch[filled++] = evt;
                events++;
                if (filled == batch.Length)
                {
                    Feed(instances, ticks, batch, filled);
                    filled = 0;
                }
            }

            Feed(instances, ticks, batch, filled);
            var truth = simulation.GroundTruth;
            var labels = labeler.Complete(truth);
            for (var e = 0; e < instances.Length; e++)
            {
                var started = Stopwatch.GetTimestamp();
                var predictions = instances[e].Finish();
                ticks[e] += Stopwatch.GetTimestamp() - started;
                if (instances[e] is HubIncidentEngine { MemoryReport: { } memory })
                {
                    Console.Error.WriteLine($"  {instances[e].Name} correlation stage at end of stream: {memory.EstimatedBytes / 1024.0:F0} KB retained, {memory.OpenIncidents} open incidents, {memory.BufferedEvidence} buffered, {memory.IncidentsReported} reported, {memory.CandidatesDropped} candidates dropped, {memory.IncidentsClosedAtCap} closed at cap, {memory.MembersOmitted} members omitted, {memory.LateEvidence} late evidence");
                }

                var run = new IncidentScenarioRun
                {
                    Truth = truth,
                    Labels = labeler.ForEngine(labels, instances[e].DerivedEvents),
                    Predictions = predictions,
                    EventsObserved = events,
                    EngineTime = Stopwatch.GetElapsedTime(0, ticks[e]),
                };
                scorers[e].Add(run);
                names?.Write(breakdown!, engines[e].Name, run, instances[e].DerivedEvents);
                (instances[e] as IDisposable)?.Dispose();
            }
        }

        var reports = new IncidentEngineReport[engines.Count];
        for (var e = 0; e < reports.Length; e++)
        {
            reports[e] = new IncidentEngineReport(engines[e].Name, scorers[e].Result());
        }

        return reports;
    }

    private static void Feed(IIncidentEngine[] engines, long[] ticks, AnalyticsEvent[] batch, int count)
    {
        for (var e = 0; e < engines.Length; e++)
        {
            var engine = engines[e];
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                engine.Observe(batch[i]);
            }

            ticks[e] += Stopwatch.GetTimestamp() - started;
        }
    }
}
