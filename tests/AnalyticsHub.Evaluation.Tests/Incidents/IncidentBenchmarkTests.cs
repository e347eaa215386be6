using AnalyticsHub.Events;
using AnalyticsHub.Evaluation.Incidents;
using AnalyticsHub.Simulation.Tests.Traffic;
using AnalyticsHub.Simulation.Traffic;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class IncidentBenchmarkTests
{
    private static ErrorRateMetrics ErrorRate(string model) => new()
    {
        ModelId = model, TotalRequests = 10, FailedRequests = 1, ErrorRatePercent = 10, ErrorBreakdown = new Dictionary<string, ulong>(), WindowDurationSeconds = 60,
    };

    private static Dictionary<string, string> Region(string region) => new() { ["region"] = region };

    /// <summary>An anomaly episode event as the hub's anomalies stage writes it (default dimensions: module, environment, model).</summary>
    private static AnalyticsEvent Episode(int id, string metric, DateTimeOffset start, DateTimeOffset? end, Guid parent)
    {
        var tags = new Dictionary<string, string>
        {
            ["source_module"] = "llm-observatory", ["environment"] = "test", ["model_id"] = "gpt-4o",
            ["anomaly_phase"] = end is null ? "open" : "close", ["metric"] = metric, ["statistic"] = "mean",
            ["episode_start"] = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (end is { } e)
        {
            tags["episode_end"] = e.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        return Event(id, end ?? start, new CustomPayload { CustomType = "anomaly" }, SourceModule.LlmAnalyticsHub, tags, parent);
    }

    private static ScenarioConfig Tiny(ulong seed) => Scenarios.Small(new ScenarioKnobs { EffectSize = 2, Distractors = 1, DecoyDeploy = true }, seed) with { End = Scenarios.End };

    private static IReadOnlyList<IncidentEngineReport> RunBaselines() =>
        IncidentBenchmark.Run([Tiny(11), Tiny(12)], IncidentEngineRegistry.CreateWithBaselines().Registrations);

    [Fact]
    public void Run_TinyScenarios_IsDeterministicApartFromTiming()
    {
        var first = RunBaselines();
        var second = RunBaselines();

        Assert.Equal(["time_bucket", "attribute", "oracle"], first.Select(r => r.Name));
        for (var e = 0; e < first.Count; e++)
        {
            var a = first[e].Score with { EngineSeconds = 0, EventsPerSecond = 0, ScenarioGroupingF1 = [], Seeds = [] };
            var b = second[e].Score with { EngineSeconds = 0, EventsPerSecond = 0, ScenarioGroupingF1 = [], Seeds = [] };
            Assert.Equal(a, b);
            Assert.Equal([11UL, 12UL], first[e].Score.Seeds);
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
            // The baselines place every event somewhere; the oracle places no distractor at all.
            Assert.Equal(report.Name == "oracle" ? 0.0 : 1.0, s.DistractorRate + s.DistractorAloneRate);
            foreach (var value in new[] { s.RootCauseAc1, s.RootCauseAc3, s.GroupingF1, s.TypeF1, s.DistractorRate, s.DistractorAloneRate })
            {
                Assert.True(value is null or (>= 0 and <= 1), $"{report.Name}: {value}");
            }

            Assert.True(s.RootCauseAc1 <= s.RootCauseAc3);
            Assert.True(s.ImpactCostMedianRelError is null or >= 0);
            Assert.Equal(0, s.NegativeControlRoots);
        }
    }

    [Fact]
    public void Labeler_ForEngine_MapsDerivedEventsToTheirParents_ProducerEventsStayThemselves()
    {
        var labeler = new IncidentEventLabeler(Truth());
        labeler.Observe(Event(3, T0, Latency(), SourceModule.LlmObservatory, parent: Id(1)));

        var labels = labeler.ForEngine(labeler.Complete(Truth()), [Event(2, T0, Latency(), SourceModule.LlmAnalyticsHub, parent: Id(1))]);

        Assert.Equal(Id(1), labels.Canonical(Id(2)));
        Assert.Equal(Id(3), labels.Canonical(Id(3)));
    }

    [Fact]
    public void Labeler_ForEngine_MapsAnAnomalyEpisodeToTheAggregatesOfItsSeriesAndWindow()
    {
        var labeler = new IncidentEventLabeler(Truth());
        labeler.Observe(Event(1, T0, Latency()));
        labeler.Observe(Event(10, T0, ErrorRate("gpt-4o")));
        labeler.Observe(Event(11, T0.AddMinutes(1), ErrorRate("gpt-4o"), tags: Region("eu-west-1")));
        labeler.Observe(Event(12, T0.AddMinutes(2).AddSeconds(59), ErrorRate("gpt-4o")));
        labeler.Observe(Event(13, T0.AddMinutes(3), ErrorRate("gpt-4o"))); // after the episode's last window
        labeler.Observe(Event(14, T0.AddMinutes(1), ErrorRate("o3-mini"))); // another series
        labeler.Observe(Event(15, T0.AddSeconds(-1), ErrorRate("gpt-4o"))); // before it
        var open = Episode(100, "llm_error_rate.error_rate_percent", T0, end: null, parent: Id(1));
        var close = Episode(101, "llm_error_rate.error_rate_percent", T0, end: T0.AddMinutes(3), parent: Id(100));
        var latency = Episode(102, "llm_latency.latency_ms", T0, end: T0.AddMinutes(3), parent: Id(1));

        var labels = labeler.ForEngine(labeler.Complete(Truth()), [open, close, latency]);

        Assert.Equal(Ids(10, 11, 12), labels.DerivedEvidence[Id(100)]);
        Assert.Equal(Ids(10, 11, 12), labels.DerivedEvidence[Id(101)]);
        Assert.Empty(labels.DerivedEvidence[Id(102)]); // request-level evidence is never a member
        var members = new HashSet<Guid>();
        labels.AddMembers(Id(100), members);
        labels.AddMembers(Id(102), members);
        Assert.Equal(Set(10, 11, 12), members);
    }

    [Fact]
    public void Labeler_ForEngine_AnEpisodeStillOpenRunsToTheEndOfTheStream()
    {
        var labeler = new IncidentEventLabeler(Truth());
        labeler.Observe(Event(10, T0, ErrorRate("gpt-4o")));
        labeler.Observe(Event(11, T0.AddMinutes(30), ErrorRate("gpt-4o")));

        var labels = labeler.ForEngine(labeler.Complete(Truth()), [Episode(100, "llm_error_rate.error_rate_percent", T0, end: null, parent: Id(10))]);

        Assert.Equal(Ids(10, 11), labels.DerivedEvidence[Id(100)]);
    }

    [Fact]
    public void Run_AllTemplates_OracleReachesTheCeilings()
    {
        var config = Scenarios.AllTemplates() with { End = Scenarios.End };
        var oracle = IncidentEngineRegistry.CreateWithBaselines().Registrations.Where(r => r.Name == "oracle").ToList();

        var s = Assert.Single(IncidentBenchmark.Run([config], oracle)).Score;

        Assert.Equal(6, s.TrueIncidents);
        Assert.Equal(6, s.MatchedIncidents); // the negative control included
        Assert.Equal(0, s.NegativeControlRoots);
        Assert.Equal(1.0, s.RootCauseAc1);
        Assert.Equal(1.0, s.TypeF1);
        Assert.True(s.GroupingF1 >= 0.95, $"grouping F1 {s.GroupingF1}");
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
