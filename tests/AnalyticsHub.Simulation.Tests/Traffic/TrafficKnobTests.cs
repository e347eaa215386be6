using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Simulation.Tests.Traffic;

public sealed class TrafficKnobTests
{
    [Fact]
    public void DuplicateRate_Positive_SameIdsDeliveredTwice()
    {
        var events = Scenarios.Run(Scenarios.Small(new ScenarioKnobs { DuplicateRate = 0.05 }), out var truth);
        var repeated = events.GroupBy(e => e.EventId).Where(g => g.Count() > 1).ToList();

        Assert.NotEmpty(repeated);
        Assert.Equal(truth.Delivery.DuplicatesEmitted, repeated.Sum(g => g.Count() - 1));
        Assert.All(repeated, g => Assert.Single(g.Select(e => AnalyticsEventJson.Serialize(e)).Distinct()));
    }

    [Fact]
    public void DuplicateRate_Zero_EveryIdOnce()
    {
        var events = Scenarios.Run(Scenarios.Small(new ScenarioKnobs()), out var truth);

        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(0, truth.Delivery.DuplicatesEmitted);
    }

    [Fact]
    public void ClockSkew_OneModule_ShiftsOnlyItsTimestamps()
    {
        var plain = Scenarios.Run(Scenarios.Small(new ScenarioKnobs()), out _).ToDictionary(e => e.EventId);
        var skewed = Scenarios.Run(Scenarios.Small(new ScenarioKnobs { ClockSkew = [new ModuleClockSkew { Module = "llm-cost-ops", Seconds = 45 }] }), out _);

        Assert.Equal(plain.Count, skewed.Count);
        foreach (var evt in skewed)
        {
            var shift = evt.Timestamp - plain[evt.EventId].Timestamp;
            Assert.Equal(evt.SourceModule == SourceModule.LlmCostOps ? TimeSpan.FromSeconds(45) : TimeSpan.Zero, shift);
        }
    }

    [Fact]
    public void SilentModule_Window_ModuleEmitsNothingThere()
    {
        var knobs = new ScenarioKnobs { SilentModule = new SilentModuleWindow { Module = "llm-observatory", StartMinutes = 10, DurationMinutes = 15 } };
        var simulation = new TrafficSimulation(Scenarios.Small(knobs), Scenarios.Clock());
        var events = simulation.Generate().ToList();
        var from = simulation.Start.AddMinutes(10);
        var to = simulation.Start.AddMinutes(25);

        Assert.DoesNotContain(events, e => e.SourceModule == SourceModule.LlmObservatory && e.Timestamp >= from && e.Timestamp < to);
        Assert.Contains(events, e => e.SourceModule == SourceModule.LlmCostOps && e.Timestamp >= from && e.Timestamp < to);
        Assert.Contains(events, e => e.SourceModule == SourceModule.LlmObservatory && e.Timestamp >= to);
        Assert.True(simulation.GroundTruth.Delivery.EventsDropped > 0);
    }

    [Fact]
    public void Gaps_Window_NoModuleEmitsThere()
    {
        var knobs = new ScenarioKnobs { Gaps = [new TimeGap { StartMinutes = 30, DurationMinutes = 5 }] };
        var simulation = new TrafficSimulation(Scenarios.Small(knobs), Scenarios.Clock());
        var events = simulation.Generate().ToList();
        var from = simulation.Start.AddMinutes(30);

        Assert.DoesNotContain(events, e => e.Timestamp >= from && e.Timestamp < from.AddMinutes(5));
        Assert.Contains(events, e => e.Timestamp >= from.AddMinutes(5) && e.Timestamp < from.AddMinutes(6));
    }

    [Fact]
    public void LateRootSeconds_Positive_RootDeliveredAfterLaterEvents()
    {
        var events = Scenarios.Run(Scenarios.Small(new ScenarioKnobs { LateRootSeconds = 120 }), out var truth);
        var root = Assert.Single(truth.Incidents).Root!;
        var position = events.FindIndex(e => e.EventId == root.EventId);

        Assert.True(position > 0);
        Assert.Equal(120, root.EmittedLateSeconds);
        Assert.True(events[position - 1].Timestamp > root.Timestamp!.Value.AddSeconds(100), "the root was not delivered late");
        Assert.Contains(events.Take(position), e => e.Timestamp > root.Timestamp);
    }

    [Fact]
    public void DecoyDeploy_Enabled_UnrelatedDeployShortlyBeforeRoot()
    {
        var events = Scenarios.Run(Scenarios.Small(new ScenarioKnobs { DecoyDeploy = true }), out var truth);
        var decoy = Assert.Single(truth.Decoys);
        var root = Assert.Single(truth.Incidents).Root!;

        Assert.True(decoy.Emitted);
        Assert.Equal("deploy", decoy.Action);
        Assert.InRange(root.Timestamp!.Value - decoy.Timestamp, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(6));
        var evt = Assert.Single(events, e => e.EventId == decoy.EventId);
        Assert.Equal("deploy", Assert.IsType<AuditTrailEvent>(evt.Payload).Action);
        Assert.DoesNotContain(truth.Incidents.SelectMany(i => i.Members), m => m.EventId == decoy.EventId);
    }

    [Fact]
    public void Distractors_Count_ListedWithoutRoots()
    {
        _ = Scenarios.Run(Scenarios.Small(new ScenarioKnobs { Distractors = 3 }), out var truth);

        Assert.Equal(3, truth.Distractors.Count);
        Assert.Equal(["latency_blip", "auth_failure_burst", "cost_blip"], truth.Distractors.Select(d => d.Kind));
        Assert.All(truth.Distractors, d => Assert.NotEmpty(d.AffectedSeries));
    }

    [Fact]
    public void EffectSize_Larger_LargerLatencyIncrease()
    {
        _ = Scenarios.Run(Scenarios.Small(new ScenarioKnobs { EffectSize = 0.5 }), out var weak);
        _ = Scenarios.Run(Scenarios.Small(new ScenarioKnobs { EffectSize = 3 }), out var strong);

        Assert.True(strong.Incidents[0].Impact.LatencyIncreasePercent > 2 * weak.Incidents[0].Impact.LatencyIncreasePercent);
    }

    [Fact]
    public void LagJitter_Positive_LagsDifferFromNominal()
    {
        _ = Scenarios.Run(Scenarios.Small(new ScenarioKnobs { LagJitter = 0.5 }), out var truth);
        var first = truth.Incidents[0].CausalLinks[0];

        Assert.NotEqual(90, first.LagSeconds);
        Assert.InRange(first.LagSeconds, 45, 135);
    }

    [Fact]
    public void OverlapIncidents_AutoSchedule_IncidentsOverlapInTime()
    {
        IncidentConfig[] incidents = [new() { Template = IncidentTemplate.DeployRegression }, new() { Template = IncidentTemplate.PolicyMisconfiguration }];
        var config = Scenarios.Small(new ScenarioKnobs { OverlapIncidents = true }) with { DurationHours = 3, Incidents = incidents };
        var truth = new TrafficSimulation(config, Scenarios.Clock()).PlannedGroundTruth();

        Assert.True(truth.Incidents[1].Start < truth.Incidents[0].End, "the incidents don't overlap");
    }

    [Fact]
    public void PlannedGroundTruth_BeforeStreaming_SameIncidentsAndSeriesAsFinal()
    {
        var simulation = new TrafficSimulation(Scenarios.Small(new ScenarioKnobs { Distractors = 2 }), Scenarios.Clock());
        var planned = simulation.PlannedGroundTruth();
        var final = simulation.GroundTruth;

        Assert.Empty(planned.Incidents[0].Members);
        Assert.NotEmpty(final.Incidents[0].Members);
        Assert.Equal(planned.Incidents[0].AffectedSeries.Select(s => s.Measurement), final.Incidents[0].AffectedSeries.Select(s => s.Measurement));
        Assert.Equal(planned.Distractors.Count, final.Distractors.Count);
    }
}
