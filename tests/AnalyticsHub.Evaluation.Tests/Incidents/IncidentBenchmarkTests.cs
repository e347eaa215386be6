using AnalyticsHub.Events;
using AnalyticsHub.Evaluation.Incidents;
using AnalyticsHub.Simulation.Tests.Traffic;
using AnalyticsHub.Simulation.Traffic;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class IncidentBenchmarkTests
{
    private static ScenarioConfig Tiny(ulong seed) => Scenarios.Small(new ScenarioKnobs { EffectSize = 2, Distractors = 1, DecoyDeploy = true }, seed) with { End = Scenarios.End };

    private static IReadOnlyList<IncidentEngineReport> RunBaselines() =>
        IncidentBenchmark.Run([Tiny(11), Tiny(12)], IncidentEngineRegistry.CreateWithBaselines().Registrations);

    [Fact]
    public void Run_TinyScenarios_IsDeterministicApartFromTiming()
    {
        var first = RunBaselines();
        var second = RunBaselines();

        Assert.Equal(["time_bucket", "attribute"], first.Select(r => r.Name));
        for (var e = 0; e < first.Count; e++)
        {
            var a = first[e].Score with { EngineSeconds = 0, EventsPerSecond = 0, ScenarioGroupingF1 = [] };
            var b = second[e].Score with { EngineSeconds = 0, EventsPerSecond = 0, ScenarioGroupingF1 = [] };
            Assert.Equal(a, b);
            Assert.Equal(first[e].Score.ScenarioGroupingF1, second[e].Score.ScenarioGroupingF1);
        }
    }

    [Fact]
    public void Run_TinyScenarios_KeepsEveryMetricInRange()
    {
        foreach (var report in RunBaselines())
        {
            var s = report.Score;
            Assert.Equal(2, s.Scenarios);
            Assert.Equal(2, s.TrueIncidents);
            Assert.True(s.EventsObserved > 1000);
            Assert.True(s.EventsPerSecond > 0);
            Assert.True(s.DistractorEvents > 0);
            Assert.Equal(1.0, s.DistractorRate);
            foreach (var value in new[] { s.RootCauseAc1, s.RootCauseAc3, s.GroupingF1, s.TypeF1, s.DistractorRate })
            {
                Assert.True(value is null or (>= 0 and <= 1), $"{report.Name}: {value}");
            }

            Assert.True(s.RootCauseAc1 <= s.RootCauseAc3);
            Assert.True(s.ImpactCostMedianRelError is null or >= 0);
            Assert.Equal(0, s.NegativeControlRoots);
        }
    }

    [Fact]
    public void Labeler_Observe_MapsDerivedEventsToTheirParents()
    {
        var labeler = new IncidentEventLabeler(Truth());
        labeler.Observe(Event(2, T0, Latency(), SourceModule.LlmAnalyticsHub, parent: Id(1)));
        labeler.Observe(Event(3, T0, Latency(), SourceModule.LlmObservatory, parent: Id(1)));

        var labels = labeler.Complete(Truth());

        Assert.Equal(Id(1), labels.Canonical(Id(2)));
        Assert.Equal(Id(3), labels.Canonical(Id(3)));
    }

    [Fact]
    public void Labeler_Complete_FindsDistractorAndDecoyEventsButNoIncidentMembers()
    {
        var config = Tiny(11);
        var simulation = new TrafficSimulation(config);
        var labeler = new IncidentEventLabeler(simulation.PlannedGroundTruth());
        var events = new Dictionary<Guid, AnalyticsEvent>();
        foreach (var evt in simulation.Generate())
        {
            labeler.Observe(evt);
            events[evt.EventId] = evt;
        }

        var truth = simulation.GroundTruth;
        var labels = labeler.Complete(truth);

        var distractor = Assert.Single(truth.Distractors);
        var series = Assert.Single(distractor.AffectedSeries);
        Assert.NotEmpty(labels.DistractorEvents);
        Assert.All(truth.Decoys.Where(d => d.Emitted), d => Assert.Contains(d.EventId, labels.DistractorEvents));
        Assert.All(truth.Incidents.SelectMany(i => i.Members), m => Assert.DoesNotContain(m.EventId, labels.DistractorEvents));
        foreach (var id in labels.DistractorEvents)
        {
            var evt = events[id];
            Assert.True(
                truth.Decoys.Any(d => d.EventId == id)
                || (evt.Payload.Subtype == series.Measurement && evt.Timestamp >= distractor.Start && evt.Timestamp <= distractor.End),
                $"{evt.Payload.Subtype} at {evt.Timestamp:O}");
        }
    }
}
