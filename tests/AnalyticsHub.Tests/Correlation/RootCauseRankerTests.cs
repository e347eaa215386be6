using AnalyticsHub.Correlation;
using AnalyticsHub.Correlation.RootCause;
using AnalyticsHub.Correlation.Topology;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>Root-cause ranking on hand-built incidents (docs/correlation.md, "Root cause").</summary>
public class RootCauseRankerTests
{
    private static readonly long Align = TimeSpan.FromMinutes(5).Ticks;
    private static readonly long Gap = TimeSpan.FromMinutes(15).Ticks;

    private static RootCauseRanker Ranker(CauseHistory? history = null, ClockSkewEstimator? skew = null) =>
        new(history ?? new CauseHistory(), skew ?? new ClockSkewEstimator(), SameEntityRelations.Instance, Align, Gap);

    [Fact]
    public void DecoyDeployOfAnotherService_LosesToTheDeployOfTheRegressedModel()
    {
        var f = new RootCauseFixture();
        var decoy = f.Change(-4, "deploy", "embedding-service@v3", ("service", "embedding-service"), ("model_id", "claude"));
        var deploy = f.Change(0, "deploy", "gpt-4o-serving@v2.1", ("model_id", "gpt-4o"), ("provider", "openai"));
        var incident = f.Incident(decoy, deploy, f.Signal(1.5, "llm_latency.latency_ms", "gpt-4o"), f.ErrorRate(3, "gpt-4o", "eu-west-1", 12));

        var analysis = Ranker().Rank(incident);

        var top = Assert.Single(analysis.Candidates);
        Assert.Equal(deploy.EventId, top.EventId);
        Assert.Equal(deploy.EventId, analysis.RootEventId);
        Assert.Equal(top.Confidence, analysis.Confidence);
        Assert.InRange(top.Confidence, 0.8, 1);
        Assert.Contains("Roll back deploy gpt-4o-serving@v2.1 of model gpt-4o.", analysis.Recommendations);
        Assert.All(analysis.CausalChain, link => Assert.Equal(deploy.EventId, link.FromEventId));
        Assert.Contains(analysis.CausalChain, link => link.Relationship == CausalRelationship.DirectCause && link.TimeDeltaMs == 90_000);
    }

    [Fact]
    public void DecoyDeployOfAModelThatDidNotMove_IsExcludedWithItsReason()
    {
        var f = new RootCauseFixture();
        var decoy = f.Change(-2, "deploy", "embedding-service@v3", ("service", "embedding-service"), ("model_id", "claude"));
        var history = new CauseHistory();
        history.Observe(decoy);

        var analysis = Ranker(history).Rank(f.Incident(f.Signal(0, "llm_latency.latency_ms", "gpt-4o"), f.ErrorRate(1, "gpt-4o", "eu-west-1", 12)));

        Assert.Empty(analysis.Candidates);
        Assert.Null(analysis.RootEventId);
        Assert.Equal(0, analysis.Confidence);
    }

    [Fact]
    public void ChangeThatDidNotJoinTheIncident_IsStillACandidateFromTheHistory()
    {
        var f = new RootCauseFixture();
        var change = f.Change(-1, "prompt_template_change", "prompt:chat/gpt-4o/system@v8", ("feature", "chat"), ("model_id", "gpt-4o"));
        var history = new CauseHistory();
        history.Observe(change);

        var analysis = Ranker(history).Rank(f.Incident(
            f.Signal(4, "llm_token_usage.completion_tokens", "gpt-4o"), f.Signal(6, "cost_usd.total_cost_usd", "gpt-4o")));

        Assert.Equal(change.EventId, Assert.Single(analysis.Candidates).EventId);
        Assert.Contains("Revert prompt template change prompt:chat/gpt-4o/system@v8.", analysis.Recommendations);
    }

    [Fact]
    public void TemplateChangeOfTheRegressedModel_CannotExplainLatencyAndErrors_AndIsExcludedWithItsReason()
    {
        // A template change moves completions, tokens and spend; it cannot slow a model or fail its requests, so beside
        // the deploy of the same model it is no candidate, and alone it is none either.
        var f = new RootCauseFixture();
        var template = f.Change(-1, "prompt_template_change", "prompt:chat/gpt-4o/system@v8", ("feature", "chat"), ("model_id", "gpt-4o"));
        var deploy = f.Change(-0.5, "deploy", "gpt-4o-serving@v2.1", ("model_id", "gpt-4o"), ("provider", "openai"));
        var latency = f.Signal(1, "llm_latency.latency_ms", "gpt-4o");
        var errors = f.ErrorRate(2, "gpt-4o", "eu-west-1", 12);

        var both = Ranker().Rank(f.Incident(template, deploy, latency, errors));
        var alone = Ranker().Rank(f.Incident(template, latency, errors));

        Assert.Equal(deploy.EventId, Assert.Single(both.Candidates).EventId);
        Assert.Empty(alone.Candidates);
    }

    [Fact]
    public void TemplateChange_StampedAfterTheFirstTokenRise_StillWins_AndADecoyTemplateChangeOfAnotherModelDoesNot()
    {
        var f = new RootCauseFixture();
        var decoy = f.Change(-3, "prompt_template_change", "prompt:chat/claude/system@v3", ("feature", "chat"), ("model_id", "claude"));
        var late = f.Change(1, "prompt_template_change", "prompt:chat/gpt-4o/system@v8", ("feature", "chat"), ("model_id", "gpt-4o"));
        var analysis = Ranker().Rank(f.Incident(
            decoy, f.Signal(0, "llm_token_usage.completion_tokens", "gpt-4o"), late, f.Signal(6, "cost_usd.total_cost_usd", "gpt-4o")));

        Assert.Equal(late.EventId, analysis.RootEventId);
        Assert.DoesNotContain(analysis.Candidates, c => c.EventId == decoy.EventId);
    }

    [Fact]
    public void RootStampedAfterItsEffectsWithinTheSkewResidue_StillWins()
    {
        var f = new RootCauseFixture();
        var effects = new[] { f.Signal(0, "llm_latency.latency_ms", "gpt-4o"), f.ErrorRate(1, "gpt-4o", "eu-west-1", 12) };
        var late = f.Change(2, "deploy", "gpt-4o-serving@v2.1", ("model_id", "gpt-4o"), ("provider", "openai"));
        var unrelated = f.Change(-3, "config_change", "claude-router", ("model_id", "claude"));

        var analysis = Ranker().Rank(f.Incident([unrelated, .. effects, late]));

        Assert.Equal(late.EventId, analysis.Candidates[0].EventId);
        Assert.Contains(analysis.Candidates[0].Evidence, e => e.Contains("follows the first related effect by 120 s", StringComparison.Ordinal));
        Assert.InRange(analysis.Candidates[0].Confidence, 0.5, 0.95);
    }

    [Fact]
    public void ChangeFarAfterItsEffects_IsNoCause()
    {
        var f = new RootCauseFixture();
        var analysis = Ranker().Rank(f.Incident(
            f.Signal(0, "llm_latency.latency_ms", "gpt-4o"), f.Change(8, "deploy", "gpt-4o-serving@v2.1", ("model_id", "gpt-4o"))));

        Assert.Empty(analysis.Candidates);
    }

    [Fact]
    public void DeployOfAModelAnotherOneCalls_IsRelatedOnlyThroughTheHostsGraph()
    {
        var f = new RootCauseFixture();
        var deploy = f.Change(0, "deploy", "gpt-4o-serving@v2.1", ("model_id", "gpt-4o"));
        var effect = f.Signal(1, "llm_latency.latency_ms", "router");
        var graph = new DependencyGraph().AddCall("model_id=router", "model_id=gpt-4o");
        var withGraph = new RootCauseRanker(new CauseHistory(), new ClockSkewEstimator(), new GraphRelations(graph), Align, Gap);

        var without = Ranker().Rank(f.Incident(deploy, effect));
        var with = withGraph.Rank(f.Incident(deploy, effect));

        Assert.Empty(without.Candidates);
        var top = Assert.Single(with.Candidates);
        Assert.Equal(deploy.EventId, top.EventId);
        Assert.Contains(top.Evidence, e => e.StartsWith("1 of 1 affected series and alerts name what deploy gpt-4o-serving@v2.1 changed", StringComparison.Ordinal));
        Assert.Equal(0.8125, top.Confidence, 6);
    }

    [Fact]
    public void GraphRelations_DecayPerCallAndOnlyTowardsCallers()
    {
        var relations = new GraphRelations(new DependencyGraph().AddCall("feature=chat", "model_id=router").AddCall("model_id=router", "model_id=gpt-4o"));

        Assert.Equal(1, relations.Relatedness("model_id=gpt-4o", "model_id=gpt-4o"));
        Assert.Equal(0.75, relations.Relatedness("model_id=gpt-4o", "model_id=router"));
        Assert.Equal(0.5625, relations.Relatedness("model_id=gpt-4o", "feature=chat"));
        Assert.Equal(0, relations.Relatedness("feature=chat", "model_id=gpt-4o"));
        Assert.Equal(0, relations.Relatedness("model_id=claude", "feature=chat"));
        Assert.Equal(["model_id=gpt-4o"], relations.Upstream("model_id=router"));
        Assert.Empty(SameEntityRelations.Instance.Upstream("model_id=router"));
    }

    [Fact]
    public void Confidence_IsTheWeightedMeanOfTheFeaturesTimesTheFactors()
    {
        var h = new RootCauseHypothesis("db", 0, 7);
        h.Features.Add(new RootCauseFeature("explained", 0.8, 1, "a"));
        h.Features.Add(new RootCauseFeature("lag", 0.4, 3, "b"));
        h.Features.Add(new RootCauseFeature("own", 0.5, 0, "c", IsFactor: true));

        Assert.Equal(Math.Round(((0.8 * 1) + (0.4 * 3)) / 4 * 0.5, 6), h.Confidence);
        Assert.Equal(0.5, h.ValueOf("own"));
        Assert.Null(h.ValueOf("failover"));
        Assert.Throws<InvalidOperationException>(() => h.ToCandidate());
        h.Excluded = true;
        Assert.Equal(0, h.Confidence);
    }

    [Fact]
    public void ProviderOutage_IsNamedByProviderAndRegion()
    {
        var f = new RootCauseFixture();
        var failover = f.Change(3, "model_switch", "route-openai-eu-west-1", ("region", "eu-west-1"), ("provider", "openai"));
        var history = new CauseHistory();
        history.Observe(failover);
        var incident = f.Incident(
            f.ErrorRate(0, "gpt-4o", "eu-west-1", 80), f.ErrorRate(0, "gpt-4o-mini", "eu-west-1", 85),
            f.ErrorRate(1, "gpt-4o", "eu-west-1", 82), failover, f.Signal(4, "llm_latency.latency_ms", "claude"));

        var analysis = Ranker(history).Rank(incident);

        var top = analysis.Candidates[0];
        Assert.Equal(RootCauseCandidateKind.External, top.Kind);
        Assert.Equal(("openai", "eu-west-1"), (top.Provider, top.Region));
        Assert.Null(top.EventId);
        Assert.Null(analysis.RootEventId);
        Assert.Contains(top.Evidence, e => e.StartsWith("Traffic failed over away from provider openai in eu-west-1 180 s", StringComparison.Ordinal));
        Assert.Contains("Keep traffic away from provider openai in eu-west-1 until it recovers, and check its status page.", analysis.Recommendations);
    }

    [Fact]
    public void FailoverWhoseErrorsWereGroupedElsewhere_StillNamesTheProviderAndRegion()
    {
        var f = new RootCauseFixture();
        var failover = f.Change(0, "model_switch", "route-anthropic-eu-west-1", ("region", "eu-west-1"), ("provider", "anthropic"));
        var history = new CauseHistory();
        history.Observe(failover);
        var incident = f.Incident(
            f.Signal(2, "llm_latency.latency_ms", "gpt-4o", extra: [("region", "eu-west-1")]),
            f.Signal(3, "cost_usd.total_cost_usd", "gpt-4o", extra: [("region", "eu-west-1")]));

        var analysis = Ranker(history).Rank(incident);

        var top = Assert.Single(analysis.Candidates);
        Assert.Equal(RootCauseCandidateKind.External, top.Kind);
        Assert.Equal(("anthropic", "eu-west-1"), (top.Provider, top.Region));
        Assert.Contains(top.Evidence, e => e.StartsWith("Traffic failed over away from provider anthropic in eu-west-1 120 s before the first effect", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(10, false)] // claude's tokens rose in every region: the traffic that left anthropic in eu-west-1 raised none of it
    [InlineData(0.1, true)] // claude's traffic fell in eu-west-1: that is the traffic that failed over
    public void FailoverWithoutErrors_ARiseOfTheProvidersOwnVolumeIsNotItsEffect(double observed, bool named)
    {
        // Traffic failed over away from anthropic in eu-west-1 four minutes before claude's volume moved; no error series
        // of anthropic is among the effects. A failover lowers the volume of the provider it left and raises that of the
        // model it went to: a rise of claude's volume, in eu-west-1 or elsewhere, is not its effect.
        var f = new RootCauseFixture();
        var failover = f.Change(-4, "model_switch", "route-anthropic-eu-west-1", ("region", "eu-west-1"), ("provider", "anthropic"));
        var history = new CauseHistory();
        history.Observe(failover);
        var incident = f.Incident(
            f.Signal(0, "llm_token_usage.total_tokens", "claude", observed, extra: [("region", "eu-west-1")]),
            f.Signal(0.5, "llm_token_usage.total_tokens", "claude", observed, extra: [("region", "us-east-1")]),
            f.Signal(1, "llm_token_usage.total_tokens", "claude", observed, extra: [("region", "us-west-2")]));

        var analysis = Ranker(history).Rank(incident);

        Assert.Equal(named, analysis.Candidates.Any(c => c.Kind == RootCauseCandidateKind.External && c.Provider == "anthropic" && c.Region == "eu-west-1"));
    }

    [Fact]
    public void FailoverWithoutErrors_TheRiseOfTheModelItWentToIsItsEffect()
    {
        // The same failover, onto claude-haiku of the same provider: the volume it raised is that model's.
        var f = new RootCauseFixture();
        var failover = f.Make(-4, new AuditTrailEvent
        {
            Action = "model_switch", Actor = "router", ResourceType = "routing_rule", ResourceId = "route-anthropic-eu-west-1",
            Changes = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["from"] = System.Text.Json.JsonSerializer.SerializeToElement("claude-opus"),
                ["to"] = System.Text.Json.JsonSerializer.SerializeToElement("claude"),
            },
        }, SourceModule.LlmRegistry, ("region", "eu-west-1"), ("provider", "anthropic"));
        var history = new CauseHistory();
        history.Observe(failover);
        var incident = f.Incident(
            f.Signal(0, "llm_token_usage.total_tokens", "claude", extra: [("region", "eu-west-1")]),
            f.Signal(1, "cost_usd.total_cost_usd", "claude", extra: [("region", "eu-west-1")]));

        var analysis = Ranker(history).Rank(incident);

        var top = Assert.Single(analysis.Candidates);
        Assert.Equal(("anthropic", "eu-west-1"), (top.Provider, top.Region));
    }

    [Fact]
    public void SwitchBackAfterTheEffects_NamesNoProvider()
    {
        var f = new RootCauseFixture();
        var recovery = f.Change(12, "model_switch", "route-anthropic-eu-west-1", ("region", "eu-west-1"), ("provider", "anthropic"));
        var history = new CauseHistory();
        history.Observe(recovery);
        var incident = f.Incident(
            f.Signal(2, "llm_latency.latency_ms", "gpt-4o", extra: [("region", "eu-west-1")]),
            f.Signal(3, "cost_usd.total_cost_usd", "gpt-4o", extra: [("region", "eu-west-1")]), recovery);

        var analysis = Ranker(history).Rank(incident);

        Assert.DoesNotContain(analysis.Candidates, c => c.Kind == RootCauseCandidateKind.External);
    }

    [Fact]
    public void TrafficReturnedAfterAnEarlierOutage_IsNoFailover_AndTheDeployOfTheModelItReturnedToIsTheRoot()
    {
        // An earlier outage of anthropic in us-east-1 moved the route onto gpt-4o at minute -45 and back onto claude at
        // minute -10, when anthropic recovered. A deploy of claude at minute -1 regresses it: claude slows and fails (its
        // error series names no region), and gpt-4o's traffic in us-east-1 falls as the route returns. The return names
        // anthropic and us-east-1 and precedes every effect (0.83 as a failover against the deploy's 0.81), but it moved
        // no traffic away from anthropic: it is no failover, and the deploy is the root.
        var f = new RootCauseFixture();
        var failover = Switch(f, -45, "route-anthropic-us-east-1", "claude", "gpt-4o");
        var returned = Switch(f, -10, "route-anthropic-us-east-1", "gpt-4o", "claude");
        var history = new CauseHistory();
        history.Observe(failover);
        history.Observe(returned);
        var deploy = f.Change(-1, "deploy", "claude-serving@v4", ("model_id", "claude"));
        var incident = f.Incident(deploy,
            f.Signal(0, "llm_latency.latency_ms", "claude"), f.Signal(1, "llm_error_rate.error_rate_percent", "claude"),
            f.Signal(2, "llm_throughput.requests_per_second", "gpt-4o", observed: 0.1, extra: [("region", "us-east-1")]),
            f.Signal(2.5, "llm_latency.latency_ms", "gpt-4o", observed: 0.1, extra: [("region", "us-east-1")]));

        var ranker = Ranker(history);
        var analysis = ranker.Rank(incident);

        Assert.False(ranker.ReturnsTraffic(f.Evidence(failover)));
        Assert.True(ranker.ReturnsTraffic(f.Evidence(returned)));
        Assert.Equal(deploy.EventId, analysis.RootEventId);
        Assert.DoesNotContain(analysis.Candidates, c => c.Kind == RootCauseCandidateKind.External);
    }

    [Fact]
    public void FailoverAfterTheRoutesReturn_IsAFailoverAgain()
    {
        // The route failed over, returned, and fails over again at minute -4: the third switch reverses the return, which
        // makes it a failover (the second outage of the provider), and it names the provider and region.
        var f = new RootCauseFixture();
        var history = new CauseHistory();
        history.Observe(Switch(f, -90, "route-anthropic-eu-west-1", "claude", "gpt-4o"));
        history.Observe(Switch(f, -60, "route-anthropic-eu-west-1", "gpt-4o", "claude"));
        var again = Switch(f, -4, "route-anthropic-eu-west-1", "claude", "gpt-4o");
        history.Observe(again);
        var incident = f.Incident(
            f.Signal(0, "llm_latency.latency_ms", "gpt-4o", extra: [("region", "eu-west-1")]),
            f.Signal(1, "cost_usd.total_cost_usd", "gpt-4o", extra: [("region", "eu-west-1")]));

        var ranker = Ranker(history);
        var analysis = ranker.Rank(incident);

        Assert.False(ranker.ReturnsTraffic(f.Evidence(again)));
        var top = Assert.Single(analysis.Candidates);
        Assert.Equal(("anthropic", "eu-west-1"), (top.Provider, top.Region));
    }

    [Fact]
    public void ReturnsTraffic_WhenTheHistoryForgotTheRoutesFirstSwitch_TakesNoSwitchForAReturn()
    {
        // The route failed over (minute -300) and returned (-200); then so many other changes that the history forgot
        // the failover. Its return is the oldest kept switch of the route, so the failover at -4 that reverses it cannot
        // be told from a return by the history alone: it is taken as before the rule, a failover.
        var f = new RootCauseFixture();
        var history = new CauseHistory();
        history.Observe(Switch(f, -300, "route-anthropic-eu-west-1", "claude", "gpt-4o"));
        history.Observe(Switch(f, -200, "route-anthropic-eu-west-1", "gpt-4o", "claude"));
        for (var i = 0; i < CauseHistory.MaxChanges - 1; i++)
        {
            history.Observe(f.Change(-150 + (i * 0.1), "config_change", "service-" + i));
        }

        var again = Switch(f, -4, "route-anthropic-eu-west-1", "claude", "gpt-4o");
        history.Observe(again);

        Assert.True(history.ForgotChanges);
        Assert.False(Ranker(history).ReturnsTraffic(f.Evidence(again)));
    }

    [Fact]
    public void ReturnsTraffic_OfTwoSwitchesAtTheSameInstant_ReadsThemInEventIdOrder()
    {
        // A failover and its return stamped at the same instant: whichever the history holds, the return is the one
        // ordered after the failover (by event id), and the failover reverses nothing before it.
        var f = new RootCauseFixture();
        var first = Switch(f, -10, "route-anthropic-eu-west-1", "claude", "gpt-4o");
        var second = Switch(f, -10, "route-anthropic-eu-west-1", "gpt-4o", "claude");
        var (failover, returned) = first.EventId.CompareTo(second.EventId) < 0 ? (first, second) : (second, first);
        var history = new CauseHistory();
        history.Observe(returned);
        history.Observe(failover);

        var ranker = Ranker(history);

        Assert.False(ranker.ReturnsTraffic(f.Evidence(failover)));
        Assert.True(ranker.ReturnsTraffic(f.Evidence(returned)));
    }

    [Fact]
    public void FailoverAfterTheFirstEpisode_IsTimedFromIt_NotFromTrafficAggregatesDatedBackBeforeIt()
    {
        // Anthropic slows in us-east-1 (claude's latency episode at minute 0) and the router fails the route over onto
        // gpt-4o at minute 2.7; the errors joined another incident. The traffic aggregates of both models in us-east-1
        // joined dated back to minute -4, where their move was estimated to begin. Timed from them, the switch would
        // follow the effects by 6.7 minutes (beyond the skew residue: no candidate); timed from the first episode, by 2.7.
        var f = new RootCauseFixture();
        var failover = Switch(f, 2.7, "route-anthropic-us-east-1", "claude", "gpt-4o");
        var history = new CauseHistory();
        history.Observe(failover);
        var incident = f.Incident(
            f.Throughput(-4, "claude", "us-east-1", 0.1), f.Throughput(-4, "gpt-4o", "us-east-1", 0.4),
            f.Signal(0, "llm_latency.latency_ms", "claude", extra: [("region", "us-east-1")]),
            f.Signal(3, "llm_latency.latency_ms", "gpt-4o", extra: [("region", "us-east-1")]));

        var analysis = Ranker(history).Rank(incident);

        var top = Assert.Single(analysis.Candidates);
        Assert.Equal(RootCauseCandidateKind.External, top.Kind);
        Assert.Equal(("anthropic", "us-east-1"), (top.Provider, top.Region));
        Assert.Contains(top.Evidence, e => e.StartsWith("Traffic failed over away from provider anthropic in us-east-1 162 s after the first effect", StringComparison.Ordinal));
    }

    [Fact]
    public void OutageErrors_LeadTheEffectsShown_ThoughATrafficAggregateWasDatedBackBeforeThem()
    {
        // An outage of anthropic in us-east-1: both its models fail from minute 0, claude slows, and the route fails over
        // at minute 3. A traffic aggregate of gpt-4o in us-west-2 joined dated back to minute -12. The errors lead the
        // episodes and violations; timed from that aggregate they would start 12 minutes after the first effect and the
        // provider would be excluded.
        var f = new RootCauseFixture();
        var history = new CauseHistory();
        history.Observe(Switch(f, 3, "route-anthropic-us-east-1", "claude", "gpt-4o"));
        var incident = f.Incident(
            f.Throughput(-12, "gpt-4o", "us-west-2", 0.4),
            f.ErrorRate(0, "claude", "us-east-1", 80), f.ErrorRate(0.2, "claude-haiku", "us-east-1", 75),
            f.Signal(0.5, "llm_latency.latency_ms", "claude", extra: [("region", "us-east-1")]));

        var analysis = Ranker(history).Rank(incident);

        var top = analysis.Candidates[0];
        Assert.Equal(RootCauseCandidateKind.External, top.Kind);
        Assert.Equal(("anthropic", "us-east-1"), (top.Provider, top.Region));
        Assert.Contains(top.Evidence, e => e.StartsWith("Errors of provider anthropic in us-east-1 start 0 s after the first effect shown", StringComparison.Ordinal));
    }

    [Fact]
    public void ErrorsOfOneModelWithoutFailover_NameNoProvider()
    {
        var f = new RootCauseFixture();
        var analysis = Ranker().Rank(f.Incident(f.ErrorRate(0, "gpt-4o", "eu-west-1", 30), f.Signal(1, "llm_latency.latency_ms", "gpt-4o")));

        Assert.DoesNotContain(analysis.Candidates, c => c.Kind == RootCauseCandidateKind.External);
    }

    [Fact]
    public void ProportionalSurge_NamesNoCauseEvenWithAChangeNearby()
    {
        var f = new RootCauseFixture();
        var change = f.Change(-2, "config_change", "gpt-4o-router", ("model_id", "gpt-4o"));
        var incident = f.Incident(change,
            f.Signal(0, "llm_throughput.requests_per_second", "gpt-4o"), f.Signal(0.5, "llm_throughput.requests_per_second", "claude"),
            f.Signal(1, "llm_token_usage.total_tokens", "gpt-4o"));

        var analysis = Ranker().Rank(incident);

        Assert.Empty(analysis.Candidates);
        Assert.Null(analysis.RootEventId);
        Assert.StartsWith("No cause found: every series rose in proportion", Assert.Single(analysis.Recommendations), StringComparison.Ordinal);
    }

    [Fact]
    public void SurgeOnOtherModelsJoiningAChangesIncidentAnHourLater_LeavesTheChangeTheRoot()
    {
        // A template change's tokens rise on its model; an hour later a surge's token episodes on two other models join
        // its incident. The incident as a whole has the shape of demand (only rising tokens, several models), but at the
        // change's first effect it had one model's: the surge does not clear the change.
        var f = new RootCauseFixture();
        var change = f.Change(-2, "prompt_template_change", "prompt:chat/gpt-4o/system@v8", ("feature", "chat"), ("model_id", "gpt-4o"));
        var incident = f.Incident(change,
            f.Signal(0, "llm_token_usage.completion_tokens", "gpt-4o"), f.Signal(60, "llm_token_usage.token_count", "gpt-4o"),
            f.Signal(61, "llm_token_usage.token_count", "claude"), f.Signal(62, "llm_token_usage.token_count", "gemini"));

        var analysis = Ranker().Rank(incident);

        Assert.Equal(change.EventId, analysis.RootEventId);
        Assert.Equal(change.EventId, analysis.Candidates[0].EventId);
    }

    [Fact]
    public void LeakedKey_TheLoginFromANewAddressIsTheRoot()
    {
        var f = new RootCauseFixture();
        var login = f.Login(0, "key-t1-ci", "203.0.113.9", "t1");
        var incident = f.Incident(login,
            f.Signal(3, "llm_token_usage.total_tokens", "claude", extra: [("tenant", "t1")]), f.Threat(10, "203.0.113.9", "t1"));

        var analysis = Ranker().Rank(incident);

        Assert.Equal(login.EventId, analysis.Candidates[0].EventId);
        Assert.Equal("Revoke the credentials of key-t1-ci and block address 203.0.113.9.", analysis.Recommendations[0]);
    }

    [Fact]
    public void LeakedKey_ALoginDeliveredAfterTheAccessesItLetIn_IsStillTheRoot()
    {
        // The collector delivers the login late: the key's first access at minute 3 arrives first and is the one the hub
        // sees as new; the login at minute 0 arrives after it, from an address no longer new.
        var f = new RootCauseFixture();
        var access = f.Make(3, new AuthEvent { UserId = "key-t1-ci", Action = AuthAction.AccessAttempt, Resource = "model:claude", Success = true },
            SourceModule.LlmSentinel, ("tenant", "t1"), ("source_ip", "203.0.113.9"));
        var login = f.Login(0, "key-t1-ci", "203.0.113.9", "t1");
        var incident = f.Incident(access,
            f.Signal(3, "llm_token_usage.total_tokens", "claude", extra: [("tenant", "t1")]), login, f.Threat(10, "203.0.113.9", "t1"));

        var analysis = Ranker().Rank(incident);

        Assert.Equal(login.EventId, analysis.RootEventId);
        Assert.Single(analysis.Candidates);
    }

    [Fact]
    public void SeriesThatMovedInTheHourBefore_LowersTheCounterfactual()
    {
        var f = new RootCauseFixture();
        var history = new CauseHistory();
        var earlier = f.Signal(-30, "llm_latency.latency_ms", "gpt-4o");
        history.Observe(f.Make(-70, new LatencyMetrics { ModelId = "gpt-4o", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmObservatory));
        history.Opened(f.Evidence(earlier));
        var deploy = f.Change(0, "deploy", "gpt-4o-serving@v2.1", ("model_id", "gpt-4o"));
        var incident = f.Incident(deploy, f.Signal(1, "llm_latency.latency_ms", "gpt-4o"));

        var withHistory = Ranker(history).Rank(incident).Candidates[0];
        var fresh = new CauseHistory();
        fresh.Observe(f.Make(-70, new LatencyMetrics { ModelId = "gpt-4o", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmObservatory));
        var without = Ranker(fresh).Rank(incident).Candidates[0];

        Assert.Contains("1 of 1 related series also moved in the preceding hour.", withHistory.Evidence);
        Assert.Contains("None of the 1 related series moved in the preceding hour.", without.Evidence);
        Assert.Equal(without.Confidence - (RootCauseRanker.CounterfactualWeight / (RootCauseRanker.LagWeight + RootCauseRanker.EntityWeight + RootCauseRanker.SpecificityWeight + RootCauseRanker.CounterfactualWeight)), withHistory.Confidence, 6);
    }

    [Fact]
    public void ClockSkew_IsEstimatedFromTheDeliveryOrder()
    {
        var f = new RootCauseFixture();
        var skew = new ClockSkewEstimator();
        for (var i = 0; i < 600; i++)
        {
            skew.Observe(f.Make(i / 10.0, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmObservatory));
            skew.Observe(f.Make((i / 10.0) + 1.5, new AuthEvent { UserId = "u", Action = AuthAction.Login, Resource = "api", Success = true }, SourceModule.LlmSentinel));
        }

        Assert.InRange(skew.SkewOf(SourceModule.LlmSentinel) - skew.SkewOf(SourceModule.LlmObservatory), TimeSpan.FromSeconds(85).Ticks, TimeSpan.FromSeconds(95).Ticks);
        Assert.Equal(0, skew.SkewOf(SourceModule.LlmRegistry));
    }

    /// <summary>A router's <c>model_switch</c> of a route from one model to another, naming the route's provider and region.</summary>
    private static AnalyticsEvent Switch(RootCauseFixture f, double minute, string route, string from, string to)
    {
        var parts = route.Split('-', 3);
        return f.Make(minute, new AuditTrailEvent
        {
            Action = "model_switch", Actor = "router", ResourceType = "routing_rule", ResourceId = route,
            Changes = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["from"] = System.Text.Json.JsonSerializer.SerializeToElement(from),
                ["to"] = System.Text.Json.JsonSerializer.SerializeToElement(to),
            },
        }, SourceModule.LlmRegistry, ("region", parts[2]), ("provider", parts[1]));
    }
}
