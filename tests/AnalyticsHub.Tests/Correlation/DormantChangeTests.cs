using System.Text.Json;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using static AnalyticsHub.Tests.Correlation.IncidentBuilderTests;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>
/// Dormant changes (docs/correlation.md, "Dormant changes"): a prompt-template change whose effect surfaces after its own
/// candidate closed is adopted by the first rising episode it can cause on its model, and only by that.
/// </summary>
public class DormantChangeTests
{
    private const string Model = "gpt-4o";
    private const string TokensMetric = "llm_token_usage.completion_tokens";

    /// <summary>The template change at minute 30; its model's completions ramp from minute 35 (tokens per second, not requests).</summary>
    private static AnalyticsEvent TemplateChange(int id, double minute, string model = Model) =>
        Audit(id, minute, "prompt_template_change", ("model_id", model), ("feature", "chat"));

    /// <summary>
    /// A model's one-minute throughput in eu-west-1 for 100 minutes: 10 requests per second throughout, 1,000 tokens per
    /// second (with a little wobble) until <paramref name="rampFrom"/>, then rising to ×2.5 over an hour.
    /// </summary>
    private static IEnumerable<AnalyticsEvent> Throughputs(int firstId, string model, int rampFrom) =>
        Enumerable.Range(0, 100).Select(m => Event(firstId + m, m + 0.5, new ThroughputMetrics
        {
            ModelId = model,
            RequestsPerSecond = 10,
            TokensPerSecond = (1_000 + (10 * (m % 3))) * (1 + (1.5 * Math.Clamp((m - rampFrom) / 60.0, 0, 1))),
            ConcurrentRequests = 4,
            WindowDurationSeconds = 60,
        }, SourceModule.LlmObservatory, ("region", "eu-west-1"), ("provider", "openai")));

    private static AnalyticsEvent Failover(int id, double minute, string from, string to) =>
        Event(id, minute, new AuditTrailEvent
        {
            Action = "model_switch", Actor = "router", ResourceType = "routing_rule", ResourceId = "route-openai-eu-west-1",
            Changes = new Dictionary<string, JsonElement>
            {
                ["from"] = JsonSerializer.SerializeToElement(from),
                ["to"] = JsonSerializer.SerializeToElement(to),
            },
        }, SourceModule.LlmRegistry, ("provider", "openai"), ("region", "eu-west-1"));

    private static List<EventCorrelation> Closed(IEnumerable<AnalyticsEvent> stream) =>
        [.. Run(stream.OrderBy(e => e.Timestamp)).Where(l => l.Phase == IncidentPhase.Close).Select(l => l.Correlation)];

    [Fact]
    public void TemplateChange_TokensMoveThirtyMinutesLater_IsAdoptedAsRoot_AndTheModelsThroughputJoinsFromTheRamp()
    {
        // The change's own candidate closes quiet 15 minutes after it; the completion-token episode opens at minute 60.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(2, 60, TokensMetric, Model),
            .. Throughputs(1_000, Model, rampFrom: 35),
            .. Ticks(0, 110),
        ];

        var incident = Assert.Single(Closed(stream));
        var ids = incident.Events.Select(e => e.EventId).ToHashSet();

        Assert.Contains(Id(1), ids);
        Assert.Contains(Id(2), ids);
        Assert.Equal(Id(1), incident.Events.Single(e => e.Role == EventRole.RootCause).EventId);
        Assert.Equal("event:" + Id(1), incident.Metadata["root_cause"]);

        // The model's throughput is a member from the change on (the adopting episode showed the move), not before it.
        Assert.All([30, 45, 50, 59, 61, 80], m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_000, 30).Select(Id).Contains(id));
    }

    [Fact]
    public void AdoptedSeries_StopWithTheAdoptingEpisode_NotWithALaterEpisodeOfTheIncident()
    {
        // The adopting episode closes at minute 70; a later token episode of the model (a surge, say) joins the incident
        // at 75, but the change's series are its members only while the adopting episode lasts.
        var close = Event(3, 70, new CustomPayload { CustomType = AnalyticsHub.Anomalies.AnomalyStage.CustomType, Data = JsonSerializer.SerializeToElement(new { }) },
            SourceModule.LlmAnalyticsHub, ("model_id", Model), ("metric", TokensMetric), ("statistic", "mean"), ("anomaly_phase", "close"), ("episode_start", "x"), ("episode_end", "y"));
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(2, 60, TokensMetric, Model),
            close with { Common = close.Common with { ParentEventId = Id(2) } },
            Anomaly(4, 75, "llm_token_usage.token_count", Model),
            .. Throughputs(1_000, Model, rampFrom: 35),
            .. Ticks(0, 110),
        ];

        var incident = Assert.Single(Closed(stream));
        var ids = incident.Events.Select(e => e.EventId).ToHashSet();

        Assert.Contains(Id(4), ids);
        Assert.All([30, 50, 69, 70], m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_072, 28).Select(Id).Contains(id));
    }

    /// <summary>The close of the adopting completion-token episode (opened by event 2) at <paramref name="minute"/>.</summary>
    private static AnalyticsEvent AdoptingEpisodeClose(int id, double minute)
    {
        var close = Event(id, minute, new CustomPayload { CustomType = AnalyticsHub.Anomalies.AnomalyStage.CustomType, Data = JsonSerializer.SerializeToElement(new { }) },
            SourceModule.LlmAnalyticsHub, ("model_id", Model), ("metric", TokensMetric), ("statistic", "mean"), ("anomaly_phase", "close"), ("episode_start", "x"), ("episode_end", "y"));
        return close with { Common = close.Common with { ParentEventId = Id(2) } };
    }

    /// <summary>
    /// Four chat requests a minute on the model for 100 minutes, each with <paramref name="completions"/>(minute)
    /// completion tokens (and 50 prompt tokens, which the template does not change).
    /// </summary>
    private static IEnumerable<AnalyticsEvent> ChatCompletions(int firstId, Func<int, double> completions) =>
        Enumerable.Range(0, 400).Select(i =>
        {
            var tokens = (uint)Math.Round(completions(i / 4) + (i % 3));
            return Event(firstId + i, i / 4.0, new TokenUsageMetrics
            {
                ModelId = Model,
                RequestId = "req-" + i,
                PromptTokens = 50,
                CompletionTokens = tokens,
                TotalTokens = 50 + tokens,
            }, SourceModule.LlmObservatory, ("feature", "chat"), ("region", "eu-west-1"));
        });

    /// <summary>200 completion tokens a request until minute 35, then rising to ×2.5 over an hour (the template's ramp).</summary>
    private static double Ramp(int minute) => 200 * (1 + (1.5 * Math.Clamp((minute - 35) / 60.0, 0, 1)));

    [Fact]
    public void AdoptedSeries_StayMembersAfterTheAdoptingEpisode_WhileTheFeaturesCompletionsStayRaised()
    {
        // The adopting episode closes at minute 70 (its detector caught up with the new level), but the template stays
        // changed: the chat completions of the model stay at ×1.9 and more, so its throughput stays the change's.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(2, 60, TokensMetric, Model),
            AdoptingEpisodeClose(3, 70),
            .. Throughputs(1_000, Model, rampFrom: 35),
            .. ChatCompletions(20_000, Ramp),
            .. Ticks(0, 110),
        ];

        var incident = Assert.Single(Closed(stream));
        var ids = incident.Events.Select(e => e.EventId).ToHashSet();

        Assert.Equal(Id(1), incident.Events.Single(e => e.Role == EventRole.RootCause).EventId);
        Assert.All([35, 50, 70, 72, 85, 99], m => Assert.Contains(Id(1_000 + m), ids));
    }

    [Fact]
    public void AdoptedSeries_JoinFromWhereTheFeaturesCompletionsBeginToGrow_NotFromTheChange()
    {
        // The template changes at minute 30, its chat completions grow from minute 35 (the ramp's lag), and the episode at
        // minute 60 adopts the change: the model's throughput is a member from the growth's onset, which the completions
        // per request date — the five minutes between the change and the ramp are its old traffic.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(2, 60, TokensMetric, Model),
            .. Throughputs(1_000, Model, rampFrom: 35),
            .. ChatCompletions(20_000, Ramp),
            .. Ticks(0, 110),
        ];

        var incident = Assert.Single(Closed(stream));
        var ids = incident.Events.Select(e => e.EventId).ToHashSet();

        Assert.Equal(Id(1), incident.Events.Single(e => e.Role == EventRole.RootCause).EventId);
        Assert.All([35, 36, 45, 59, 61], m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_000, 35).Select(Id).Contains(id));
    }

    [Fact]
    public void AdoptedSeries_LeaveOnceTheFeaturesCompletionsFallBackToTheirLevelBeforeTheChange()
    {
        // As above, but the template's effect ends at minute 80 (its completions back at 200 a request) with no change
        // event to mark it: the series stay members until the five-minute level falls below halfway, then leave.
        var incident = Assert.Single(Closed(EffectEndingAt80(adoptingEpisodeCloses: 70)));
        var ids = incident.Events.Select(e => e.EventId).ToHashSet();

        Assert.All([72, 75, 78], m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_084, 16).Select(Id).Contains(id));
    }

    [Fact]
    public void AdoptedSeries_OfAnEffectThatEndsAsItsEpisodeCloses_LeaveAtTheFirstLevelBelowHalfway()
    {
        // The medium tier's silent end: the completions fall back at minute 80 and the adopting episode closes then too.
        // The highest level is the effect's own (followed while the episode lasted, about 410 tokens a request), so the
        // level at 82.5 (two raised minutes of five, about 284) is below halfway and the series leave; read only after the
        // episode, the highest would be the already falling level at 81.5 (about 326) and 82.5 would still count.
        var incident = Assert.Single(Closed(EffectEndingAt80(adoptingEpisodeCloses: 80)));
        var ids = incident.Events.Select(e => e.EventId).ToHashSet();

        Assert.All([72, 79, 80], m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_082, 18).Select(Id).Contains(id));
    }

    /// <summary>
    /// A template change at minute 30 whose chat completions ramp from minute 35 and fall back to 200 tokens a request at
    /// minute 80 with no change event; the tokens episode at 60 adopts it and closes at <paramref name="adoptingEpisodeCloses"/>.
    /// </summary>
    private static List<AnalyticsEvent> EffectEndingAt80(double adoptingEpisodeCloses) =>
    [
        TemplateChange(1, 30),
        Anomaly(2, 60, TokensMetric, Model),
        AdoptingEpisodeClose(3, adoptingEpisodeCloses),
        .. Throughputs(1_000, Model, rampFrom: 35),
        .. ChatCompletions(20_000, m => m < 80 ? Ramp(m) : 200),
        .. Ticks(0, 110),
    ];

    [Fact]
    public void TemplateChange_WithoutDormancy_IsNotTheIncidentsRoot()
    {
        // The control: with the window at zero the change's candidate is dropped and the episode's incident has no root.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(2, 60, TokensMetric, Model),
            Anomaly(3, 61, "cost_token.cost_usd", Model),
            .. Ticks(0, 110),
        ];

        var options = new CorrelationStageOptions { DormantChangeWindow = TimeSpan.Zero };
        var closed = new List<Incident>();
        var builder = new IncidentBuilder(options, (incident, phase, _, _) =>
        {
            incident.LastEventId = Guid.NewGuid();
            if (phase == IncidentPhase.Close)
            {
                closed.Add(incident);
            }
        });
        foreach (var evt in stream.OrderBy(e => e.Timestamp))
        {
            builder.Observe(evt);
        }

        builder.Complete();

        var incident = Assert.Single(closed);
        Assert.DoesNotContain(incident.Members, m => m.Evidence.Event.EventId == Id(1));
        Assert.Null(incident.AdoptedChange);
    }

    [Fact]
    public void FailoversTrafficEpisode_DoesNotAdoptATemplateChangeOfTheSameModel()
    {
        // A template change of gpt-4o at 30; at 52 the router fails claude's traffic over onto gpt-4o, whose request
        // count rises (a traffic episode, which a template change cannot cause) and whose tokens then rise with the
        // requests (which the failover explains). Neither adopts the change.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Failover(2, 52, "claude-3-5-sonnet", Model),
            Anomaly(3, 53, "llm_throughput.requests_per_second", Model),
            Anomaly(4, 56, TokensMetric, Model),
            .. Ticks(0, 110),
        ];

        var closed = Closed(stream);

        Assert.DoesNotContain(closed, c => c.Events.Any(e => e.EventId == Id(1)));
    }

    [Theory]
    [InlineData(true)] // the chat completions ramp from minute 35: the change's own effect shows
    [InlineData(false)] // the chat completions stay at 200 a request: more requests alone raised the tokens
    public void FailoverOntoTheChangedModel_LeavesTheChangeDormant_OnlyWhileItsFeaturesCompletionsShowNoEffect(bool completionsRise)
    {
        // A template change of gpt-4o at 30, claude's traffic failed over onto gpt-4o at 52, a completion-token episode
        // of gpt-4o at 70 (after the failover's own candidate went quiet). More requests raise the model's tokens, but
        // not the completion tokens per request of the changed feature: when those stand above every minute before the
        // change, the change explains the episode despite the failover.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Failover(2, 52, "claude-3-5-sonnet", Model),
            Anomaly(3, 70, TokensMetric, Model),
            .. ChatCompletions(20_000, m => completionsRise ? Ramp(m) : 200),
            .. Ticks(0, 110),
        ];

        var closed = Closed(stream);

        Assert.Equal(completionsRise, closed.Any(c => c.Events.Any(e => e.EventId == Id(1) && e.Role == EventRole.RootCause)));
    }

    [Theory]
    [InlineData(true)] // the chat completions ramp from minute 35: the change's own effect shows
    [InlineData(false)] // the chat completions stay at 200 a request: nothing shows the change
    public void TokenEpisode_JoiningAnIncidentThatCannotRaiseIt_IsClaimedByTheChange_WhileItsEffectShows(bool completionsRise)
    {
        // A template change of gpt-4o at 30; at 55 the model's request count falls (an incident with no cause); at 60 its
        // completion tokens rise. The falling requests cannot raise the tokens, the change can: while its feature's
        // completions stand above every minute before it, the rising episode opens the change's incident instead of
        // joining the fall's.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(2, 55, "llm_throughput.requests_per_second", Model, observed: 1, baseline: 10),
            Anomaly(3, 60, TokensMetric, Model),
            .. ChatCompletions(20_000, m => completionsRise ? Ramp(m) : 200),
            .. Ticks(0, 110),
        ];

        var closed = Closed(stream);

        Assert.Equal(completionsRise, closed.Any(c => c.Events.Any(e => e.EventId == Id(1) && e.Role == EventRole.RootCause)
            && c.Events.Any(e => e.EventId == Id(3))));
    }

    [Theory]
    [InlineData(true, true)] // the feature's completions ramp: the change explains the spend, not the switched requests
    [InlineData(false, true)] // they stay flat: the failover's requests explain it, as before
    [InlineData(true, false)] // the requests rose with no failover before them (demand): they still keep the episode
    public void SpendEpisode_OfTheChangedModel_InAnOutagesIncidentHoldingOnlyTheSwitchedRequests_IsClaimedByTheChange(bool completionsRise, bool switched)
    {
        // A template change of gpt-4o at 30. At 45 the router fails claude's traffic in eu-west-1 over onto gpt-4o; at 47
        // gpt-4o's request count and latency rise there (the switched traffic: an incident with no cause), and at 56 its
        // latency rises across the model, which keeps the incident naming gpt-4o. At 63 gpt-4o's spend rises. The
        // switched requests raise spend, but not the completion tokens per request of the changed feature: while those
        // stand above every minute before the change, the change claims the spend episode, as it would from an incident
        // without any rising request count.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            .. switched ? [Failover(2, 45, "claude-3-5-sonnet", Model)] : Array.Empty<AnalyticsEvent>(),
            Tagged(Anomaly(3, 47, "llm_throughput.requests_per_second", Model), "region", "eu-west-1"),
            Tagged(Anomaly(4, 47.5, "llm_latency.latency_ms", Model), "region", "eu-west-1"),
            Anomaly(5, 56, "llm_latency.latency_ms", Model),
            Anomaly(6, 63, "cost_token.cost_usd", Model),
            .. ChatCompletions(20_000, m => completionsRise ? Ramp(m) : 200),
            .. Ticks(0, 110),
        ];

        var closed = Closed(stream);

        var fault = Assert.Single(closed, c => c.Events.Any(e => e.EventId == Id(3)));
        Assert.Contains(fault.Events, e => e.EventId == Id(5));
        var claimed = completionsRise && switched;
        Assert.Equal(!claimed, fault.Events.Any(e => e.EventId == Id(6)));
        Assert.Equal(claimed, closed.Any(c => c.Events.Any(e => e.EventId == Id(1) && e.Role == EventRole.RootCause)
            && c.Events.Any(e => e.EventId == Id(6))));
    }

    [Fact]
    public void TrafficEpisode_AloneDoesNotAdoptATemplateChange()
    {
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(3, 53, "llm_throughput.requests_per_second", Model),
            Anomaly(4, 53.5, "llm_error_rate.error_rate_percent", Model),
            .. Ticks(0, 110),
        ];

        var closed = Closed(stream);

        Assert.NotEmpty(closed);
        Assert.DoesNotContain(closed, c => c.Events.Any(e => e.EventId == Id(1)));
    }

    [Fact]
    public void TemplateChange_PastTheDormantWindow_IsAdoptedWhileItsFeaturesCompletionsStayRaised()
    {
        // The first episode the change can cause comes at minute 95, 65 minutes after it (past the hour's window), while
        // the model's chat completions, ramping from minute 35, stand at about ×2.5 of every minute before the change's
        // effect: the effect still shows, so the change still explains the episode.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(2, 95, TokensMetric, Model),
            Anomaly(3, 96, "cost_token.cost_usd", Model),
            .. ChatCompletions(20_000, Ramp),
            .. Ticks(0, 110),
        ];

        var incident = Assert.Single(Closed(stream));

        Assert.Equal(Id(1), incident.Events.Single(e => e.Role == EventRole.RootCause).EventId);
        Assert.Contains(incident.Events, e => e.EventId == Id(2));
    }

    [Fact]
    public void TemplateChange_PastTheDormantWindow_WhoseFeaturesCompletionsFellBack_IsNotBlamed()
    {
        // The same, but the template's effect ended at minute 80 (the completions back at 200 a request, no change event):
        // at minute 95 nothing of it shows, and past the window the change explains nothing.
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30),
            Anomaly(2, 95, TokensMetric, Model),
            Anomaly(3, 96, "cost_token.cost_usd", Model),
            .. ChatCompletions(20_000, m => m < 80 ? Ramp(m) : 200),
            .. Ticks(0, 110),
        ];

        var incident = Assert.Single(Closed(stream));

        Assert.DoesNotContain(incident.Events, e => e.EventId == Id(1));
        Assert.Equal("none", incident.Metadata["root_cause"]);
    }

    [Theory]
    [InlineData("claude-3-5-sonnet", 60)] // a template change of another model
    [InlineData(Model, 95)] // the same model, but past the dormant window (an hour), with no completions counted to show the effect
    public void TemplateChange_OfAnotherModelOrTooLongBefore_IsNotBlamed(string changedModel, double episodeMinute)
    {
        List<AnalyticsEvent> stream =
        [
            TemplateChange(1, 30, changedModel),
            Anomaly(2, episodeMinute, TokensMetric, Model),
            Anomaly(3, episodeMinute + 1, "cost_token.cost_usd", Model),
            .. Ticks(0, 110),
        ];

        var incident = Assert.Single(Closed(stream));

        Assert.DoesNotContain(incident.Events, e => e.EventId == Id(1));
        Assert.Equal("none", incident.Metadata["root_cause"]);
    }

    [Fact]
    public void TemplateChange_BesideTheDeployOfItsModel_IsNotRankedForLatencyAndErrors()
    {
        // A deploy and a template change of the same model a minute apart, then latency and errors: a template change
        // cannot slow a model or fail its requests, so the deploy is the root and the template change no candidate.
        List<AnalyticsEvent> stream =
        [
            Audit(1, 30, "deploy", ("model_id", Model), ("provider", "openai")),
            TemplateChange(2, 30.5),
            Anomaly(3, 32, "llm_latency.latency_ms", Model),
            Anomaly(4, 33, "llm_error_rate.error_rate_percent", Model),
            .. Ticks(0, 110),
        ];

        var incident = Assert.Single(Closed(stream));

        Assert.Equal("event:" + Id(1), incident.Metadata["root_cause"]);
        Assert.Equal(Id(1), incident.Events.Single(e => e.Role == EventRole.RootCause).EventId);
    }

    [Fact]
    public void DormantChangeWindow_OutOfRange_IsRejectedWithItsName()
    {
        var problems = new List<string>();
        new CorrelationStageOptions { DormantChangeWindow = TimeSpan.FromHours(7) }.Validate(problems);

        Assert.Contains(problems, p => p.StartsWith("Correlation.DormantChangeWindow", StringComparison.Ordinal));
    }
}
