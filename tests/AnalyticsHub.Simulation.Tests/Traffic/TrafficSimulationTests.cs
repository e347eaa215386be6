using System.Security.Cryptography;
using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Simulation.Tests.Traffic;

public sealed class TrafficSimulationTests
{
    private static readonly Lazy<(List<AnalyticsEvent> Events, GroundTruth Truth)> AllTemplates = new(() =>
    {
        var events = Scenarios.Run(Scenarios.AllTemplates(), out var truth);
        return (events, truth);
    });

    [Fact]
    public void Generate_SameSeedTwice_SameEventsAndTruth()
    {
        var config = Scenarios.Small(new ScenarioKnobs { DuplicateRate = 0.01, LagJitter = 0.3 });
        var a = new TrafficSimulation(config, Scenarios.Clock());
        var b = new TrafficSimulation(config, Scenarios.Clock());

        Assert.Equal(Digest(a.Generate()), Digest(b.Generate()));
        Assert.Equal(GroundTruthJson.Write(a.GroundTruth), GroundTruthJson.Write(b.GroundTruth));
    }

    [Fact]
    public void Generate_DifferentSeeds_DifferentEvents()
    {
        var a = new TrafficSimulation(Scenarios.Small(new ScenarioKnobs(), seed: 1), Scenarios.Clock());
        var b = new TrafficSimulation(Scenarios.Small(new ScenarioKnobs(), seed: 2), Scenarios.Clock());

        Assert.NotEqual(Digest(a.Generate()), Digest(b.Generate()));
    }

    [Fact]
    public void Generate_EndFromTimeProvider_TimelineEndsAtClockNow()
    {
        var simulation = new TrafficSimulation(Scenarios.Small(new ScenarioKnobs()), Scenarios.Clock());

        Assert.Equal(Scenarios.End, simulation.End);
        Assert.Equal(Scenarios.End.AddHours(-1), simulation.Start);
        Assert.All(simulation.Generate(), e => Assert.InRange(e.Timestamp, simulation.Start, simulation.End));
    }

    [Fact]
    public void Generate_AllTemplates_EveryEventValidAndRoundTrips()
    {
        var validator = new EventValidator(timeProvider: Scenarios.Clock());
        var (events, _) = AllTemplates.Value;

        Assert.True(events.Count > 5_000, $"only {events.Count} events");
        foreach (var evt in events)
        {
            var problems = validator.Validate(evt);
            if (problems.Count > 0)
            {
                Assert.Fail($"{AnalyticsEventJson.Serialize(evt)}: {string.Join("; ", problems.Select(p => p.Code + " " + p.Path))}");
            }

            var json = AnalyticsEventJson.Serialize(evt);
            var read = AnalyticsEventJson.Read(json);
            Assert.True(read.Event is not null, json);
            Assert.Equal(json, AnalyticsEventJson.Serialize(read.Event!));
        }
    }

    [Fact]
    public void Generate_AllTemplates_EveryModuleAndPayloadKindAppears()
    {
        var (events, _) = AllTemplates.Value;
        var modules = events.Select(e => e.SourceModule).ToHashSet();
        var kinds = events.Select(e => e.Payload.Subtype).ToHashSet();

        Assert.Superset(
            new HashSet<SourceModule> { SourceModule.LlmObservatory, SourceModule.LlmSentinel, SourceModule.LlmCostOps, SourceModule.LlmGovernanceDashboard, SourceModule.LlmRegistry, SourceModule.LlmPolicyEngine },
            modules);
        Assert.Superset(
            new HashSet<string> { "latency", "token_usage", "token_cost", "error_rate", "throughput", "auth", "threat", "budget_alert", "api_cost", "audit_trail", "policy_violation", "data_lineage" },
            kinds);
    }

    [Fact]
    public void Generate_WithoutDisorderKnobs_EventTimeOrder()
    {
        var (events, _) = AllTemplates.Value;

        for (var i = 1; i < events.Count; i++)
        {
            if (events[i - 1].Timestamp > events[i].Timestamp)
            {
                Assert.Fail($"event {i} goes back in time");
            }

        }
    }

    [Fact]
    public void TokenEvents_AllTemplates_CountsInclusiveAndCostsAddUp()
    {
        var (events, _) = AllTemplates.Value;
        var costs = events.Select(e => e.Payload).OfType<TokenCostEvent>().ToList();

        Assert.Contains(costs, c => c.ReasoningTokens > 0);
        Assert.Contains(costs, c => c.CachedInputTokens > 0);
        foreach (var c in costs)
        {
            Assert.Equal(c.PromptTokens + c.CompletionTokens, c.TotalTokens);
            Assert.True((c.CachedInputTokens ?? 0) + (c.CacheCreationInputTokens ?? 0) <= c.PromptTokens);
            Assert.True((c.ReasoningTokens ?? 0) <= c.CompletionTokens);
            var uncached = c.PromptTokens - (c.CachedInputTokens ?? 0) - (c.CacheCreationInputTokens ?? 0);
            var expected = (uncached * c.CostPerPromptToken) + (c.CompletionTokens * c.CostPerCompletionToken) + (c.CachedInputCostUsd ?? 0) + (c.CacheCreationCostUsd ?? 0);
            Assert.Equal(expected, c.TotalCostUsd, 1e-8);
        }
    }

    [Fact]
    public void GroundTruth_CausalLinks_PointForwardByConfiguredLags()
    {
        var (_, truth) = AllTemplates.Value;
        var links = truth.Incidents.SelectMany(i => i.CausalLinks).ToList();

        Assert.True(links.Count >= 15);
        foreach (var link in links)
        {
            Assert.NotNull(link.FromEventId);
            Assert.NotNull(link.ToEventId);
            Assert.NotNull(link.ObservedLagSeconds);
            Assert.True(link.ObservedLagSeconds >= 0, $"{link.FromStage}->{link.ToStage} goes back in time");
            // Onsets wait for the next affected request (and the first failure for an external cause), so they lag the plan by up to a few minutes.
            Assert.InRange(link.ObservedLagSeconds!.Value - link.LagSeconds, -240, 240);
        }
    }

    [Fact]
    public void GroundTruth_Stages_OnsetsNotBeforePlan()
    {
        var (_, truth) = AllTemplates.Value;

        foreach (var stage in truth.Incidents.SelectMany(i => i.Stages))
        {
            Assert.NotNull(stage.OnsetTimestamp);
            Assert.True(stage.OnsetTimestamp >= stage.PlannedOnset, $"{stage.Name} begins before its plan");
        }
    }

    [Fact]
    public void GroundTruth_MembersRootsAndOnsets_ExistInStream()
    {
        var (events, truth) = AllTemplates.Value;
        var byId = events.ToDictionary(e => e.EventId);

        foreach (var incident in truth.Incidents)
        {
            Assert.True(incident.NegativeControl || incident.Members.Count > 0, incident.Id + " has no members");
            foreach (var member in incident.Members)
            {
                Assert.True(byId.TryGetValue(member.EventId, out var evt), $"{incident.Id}: member {member.EventId} missing");
                Assert.Equal(member.Timestamp, evt!.Timestamp);
            }

            foreach (var stage in incident.Stages)
            {
                Assert.Contains(stage.OnsetEventId!.Value, byId.Keys);
            }

            if (incident.Root is { Kind: "event" } root)
            {
                Assert.True(root.Emitted);
                var evt = byId[root.EventId!.Value];
                Assert.True(IsChangeEvent(evt), $"{incident.Id}: root is not a change event");
                Assert.Single(incident.Members, m => m.Role == "root_cause");
            }
        }
    }

    [Fact]
    public void GroundTruth_Members_FollowTheMembershipRule_NoRequestLevelEvent_AtLeastTwoPerTemplate()
    {
        var (events, truth) = AllTemplates.Value;
        var byId = events.GroupBy(e => e.EventId).ToDictionary(g => g.Key, g => g.First());

        foreach (var incident in truth.Incidents)
        {
            Assert.True(incident.Members.Count >= 2, $"{incident.Id}: {incident.Members.Count} members");
            foreach (var member in incident.Members)
            {
                var payload = byId[member.EventId].Payload;
                Assert.False(payload is LatencyMetrics or TokenUsageMetrics or TokenCostEvent, $"{incident.Id}: request-level member {payload.Subtype}");
            }

            // A stage dated by its first affected request keeps that request as its onset, not as a member.
            foreach (var stage in incident.Stages)
            {
                if (byId[stage.OnsetEventId!.Value].Payload is LatencyMetrics or TokenUsageMetrics or TokenCostEvent)
                {
                    Assert.DoesNotContain(incident.Members, m => m.EventId == stage.OnsetEventId);
                }
            }
        }
    }

    [Fact]
    public void GroundTruth_AllTemplates_RootKindsAsDesigned()
    {
        var (_, truth) = AllTemplates.Value;
        var byTemplate = truth.Incidents.ToDictionary(i => i.Template);

        Assert.Equal("deploy", byTemplate["deploy_regression"].Root!.Action);
        Assert.Equal("auth", byTemplate["leaked_api_key"].Root!.Action);
        Assert.Equal("prompt_template_change", byTemplate["prompt_template_change"].Root!.Action);
        Assert.Equal("policy_update", byTemplate["policy_misconfiguration"].Root!.Action);
        var outage = byTemplate["provider_outage"].Root!;
        Assert.Equal("external", outage.Kind);
        Assert.Null(outage.EventId);
        Assert.False(string.IsNullOrEmpty(outage.Provider));
        Assert.False(string.IsNullOrEmpty(outage.Region));
    }

    [Fact]
    public void GroundTruth_NegativeControl_HasNoRootNorLinks_AndIdentifiableMembers()
    {
        var (_, truth) = AllTemplates.Value;
        var surge = Assert.Single(truth.Incidents, i => i.NegativeControl);

        Assert.Equal("marketing_surge", surge.Template);
        Assert.Null(surge.Root);
        Assert.Empty(surge.CausalLinks);
        Assert.Equal("volume_surge", Assert.Single(surge.Stages).Name);
        Assert.True(surge.Members.Count >= 2, $"{surge.Members.Count} members");
        Assert.All(surge.Members, m => Assert.Equal("effect", m.Role));
        Assert.True(surge.Impact.ThroughputChangePercent > 20, $"throughput change {surge.Impact.ThroughputChangePercent}");
        Assert.All(truth.Incidents.Where(i => !i.NegativeControl), i => Assert.NotNull(i.Root));
    }

    [Fact]
    public void GroundTruth_CorrelationTypes_AreTheSpecsWireNames()
    {
        string[] allowed = ["causal_chain", "temporal", "pattern_match", "anomaly", "cost_impact", "security_incident", "performance_degradation", "compliance_cascade"];
        var (_, truth) = AllTemplates.Value;

        Assert.All(truth.Incidents.SelectMany(i => i.CorrelationTypes), t => Assert.Contains(t, allowed));
    }

    [Fact]
    public void GroundTruth_Impact_MatchesEachStory()
    {
        var (_, truth) = AllTemplates.Value;
        var impact = truth.Incidents.ToDictionary(i => i.Template, i => i.Impact);
        var all = string.Join("\n", impact.Select(p => p.Key + ": " + p.Value));

        Assert.True(impact["deploy_regression"].LatencyIncreasePercent > 100, all);
        Assert.True(impact["deploy_regression"].ErrorRateIncreasePercent > 5, all);
        Assert.True(impact["deploy_regression"].AdditionalCostUsd > 0, all);
        Assert.True(impact["deploy_regression"].AffectedRequests > 0, all);
        Assert.True(impact["deploy_regression"].UsersAffected > 1, all);
        Assert.True(impact["leaked_api_key"].AdditionalCostUsd > 0, all);
        Assert.Equal(1, impact["leaked_api_key"].UsersAffected);
        Assert.True(impact["prompt_template_change"].CostIncreasePercent > 10, all);
        Assert.True(impact["provider_outage"].ErrorRateIncreasePercent > 5, all);
        Assert.True(impact["policy_misconfiguration"].ErrorRateIncreasePercent > 10, all);
        Assert.True(impact["policy_misconfiguration"].AffectedRequests > 50, all);
        Assert.True(impact["provider_outage"].ThroughputChangePercent < 0, all);
    }

    [Fact]
    public void GroundTruth_JsonRoundTrip_SameJson()
    {
        var (_, truth) = AllTemplates.Value;
        var json = GroundTruthJson.Write(truth);

        Assert.Equal(json, GroundTruthJson.Write(GroundTruthJson.Read(json)));
        Assert.Contains("\"causal_links\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void NightlyBatch_Enabled_EventsTaggedBenignInsideItsWindow()
    {
        var config = Scenarios.Small(new ScenarioKnobs()) with { DurationHours = 16, NightlyBatch = true, Incidents = [], World = new WorldConfig { Tenants = 2, PeakRequestsPerSecond = 0.3 } };
        var events = Scenarios.Run(config, out var truth);
        var batch = events.Where(e => e.Common.Tags.TryGetValue("benign", out var v) && v == "nightly_batch").ToList();

        var window = Assert.Single(Assert.Single(truth.BenignPatterns).Windows);
        Assert.NotEmpty(batch);
        Assert.All(batch, e => Assert.InRange(e.Timestamp, window.Start, window.End));
    }

    private static bool IsChangeEvent(AnalyticsEvent evt) => evt.Payload switch
    {
        AuditTrailEvent a => a.Action is "deploy" or "rollback" or "config_change" or "prompt_template_change" or "model_switch" or "policy_update" or "scaling_change" or "key_created" or "key_revoked",
        AuthEvent => true,
        _ => false,
    };

    internal static string Digest(IEnumerable<AnalyticsEvent> events)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var evt in events)
        {
            hash.AppendData(AnalyticsEventJson.SerializeToUtf8Bytes(evt));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
