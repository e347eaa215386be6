using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

public class IncidentBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 12, 12, 0, 0, TimeSpan.Zero);

    internal static Guid Id(int n) => new(n, 3, 3, 1, 2, 3, 4, 5, 6, 7, 8);

    internal static AnalyticsEvent Event(int id, double minute, EventPayload payload, SourceModule module, params (string Key, string Value)[] tags) => new()
    {
        Common = new CommonEventFields
        {
            EventId = Id(id),
            Timestamp = T0.AddMinutes(minute),
            SourceModule = module,
            EventType = EventType.Governance,
            Severity = Severity.Info,
            Environment = "production",
            Tags = tags.ToDictionary(t => t.Key, t => t.Value),
        },
        Payload = payload,
    };

    internal static AnalyticsEvent Audit(int id, double minute, string action, params (string, string)[] tags) =>
        Event(id, minute, new AuditTrailEvent { Action = action, Actor = "ci", ResourceType = "model_deployment", ResourceId = "res-" + id }, SourceModule.LlmRegistry, tags);

    internal static AnalyticsEvent Anomaly(int id, double minute, string metric, string model, double observed = 10, double baseline = 1) =>
        Event(id, minute, new CustomPayload
        {
            CustomType = AnomalyStage.CustomType,
            Data = JsonSerializer.SerializeToElement(new AnomalyEvent
            {
                EventId = Id(id),
                SourceModule = SourceModule.LlmObservatory,
                AnomalyType = AnomalyType.Spike,
                AnomalyScore = 0.9,
                Baseline = baseline,
                Observed = observed,
                Deviation = observed - baseline,
                Timestamp = T0.AddMinutes(minute),
                Metric = metric,
            }, AnomaliesJsonContext.Wire.AnomalyEvent),
        }, SourceModule.LlmAnalyticsHub, ("model_id", model), ("metric", metric), ("statistic", "mean"), ("anomaly_phase", "open"), ("episode_start", "x"));

    /// <summary>The closing event of the episode opened by event <paramref name="opening"/>: its parent is the opening.</summary>
    private static AnalyticsEvent AnomalyClose(int id, double minute, int opening, string metric, string model)
    {
        var evt = Event(id, minute, new CustomPayload { CustomType = AnomalyStage.CustomType, Data = JsonSerializer.SerializeToElement(new { }) }, SourceModule.LlmAnalyticsHub,
            ("model_id", model), ("metric", metric), ("statistic", "mean"), ("anomaly_phase", "close"), ("episode_start", "x"), ("episode_end", "y"));
        return evt with { Common = evt.Common with { ParentEventId = Id(opening) } };
    }

    private static AnalyticsEvent Access(int id, double minute, string ip) =>
        Event(id, minute, new AuthEvent { UserId = "key-1", Action = AuthAction.Login, Resource = "api", Success = true }, SourceModule.LlmSentinel, ("tenant", "t1"), ("source_ip", ip));

    private static AnalyticsEvent Threat(int id, double minute, string ip) =>
        Event(id, minute, new ThreatEvent
        {
            ThreatId = "thr", ThreatType = ThreatType.DataExfiltration, ThreatLevel = ThreatLevel.High, SourceIp = ip, TargetResource = "api",
            AttackVector = "api", MitigationStatus = MitigationStatus.Detected,
        }, SourceModule.LlmSentinel, ("tenant", "t1"), ("source_ip", ip));

    /// <summary>A quiet latency event that only advances event time.</summary>
    private static AnalyticsEvent Tick(int id, double minute) =>
        Event(id, minute, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 100 }, SourceModule.LlmObservatory);

    private static AnalyticsEvent ErrorRate(int id, double minute, string model, double percent, string provider = "openai") =>
        Event(id, minute, new ErrorRateMetrics
        {
            ModelId = model, TotalRequests = 1_000, FailedRequests = (ulong)(percent * 10), ErrorRatePercent = percent, WindowDurationSeconds = 60,
        }, SourceModule.LlmObservatory, ("region", "eu-west-1"), ("provider", provider));

    private static AnalyticsEvent Violation(int id, double minute, string user) =>
        Event(id, minute, new PolicyViolationEvent
        {
            PolicyId = "pol-filter", PolicyName = "Content filter", ViolationDescription = "blocked", ResourceId = "feature:chat", UserId = user,
            Severity = PolicyViolationSeverity.Medium, AutoRemediated = true,
        }, SourceModule.LlmPolicyEngine, ("tenant", "t1"), ("policy_id", "pol-filter"));

    /// <summary>A model's one-minute error rates: 1 % (with a little wobble) for 60 minutes, 20 % in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static IEnumerable<AnalyticsEvent> ErrorRates(int firstId, string model, int from, int to, string provider = "openai") =>
        Enumerable.Range(0, 60).Select(m => ErrorRate(firstId + m, m + 0.5, model, m >= from && m < to ? 20 : 1 + (0.1 * (m % 3)), provider));

    /// <summary>The event with one more tag (an episode's region or provider, as the anomalies stage writes series tags).</summary>
    internal static AnalyticsEvent Tagged(AnalyticsEvent evt, string key, string value) =>
        evt with { Common = evt.Common with { Tags = new Dictionary<string, string>(evt.Common.Tags) { [key] = value } } };

    internal static List<(IncidentPhase Phase, EventCorrelation Correlation, Guid Parent)> Run(IEnumerable<AnalyticsEvent> events, int batch = 7)
    {
        var lifecycle = new List<(IncidentPhase, EventCorrelation, Guid)>();
        var parents = new Dictionary<Guid, Guid>();
        var analyzer = new IncidentAnalyzer(new CorrelationStageOptions());
        var builder = new IncidentBuilder(new CorrelationStageOptions(), (incident, phase, _, ticks) =>
        {
            lifecycle.Add((phase, analyzer.Analyze(incident, ticks, Guid.Empty).Correlation, incident.LastEventId ?? Guid.Empty));
            incident.LastEventId = Guid.NewGuid();
        });
        foreach (var chunk in events.Chunk(batch))
        {
            foreach (var evt in chunk)
            {
                analyzer.Observe(evt);
                builder.Observe(evt);
            }

            builder.Advance();
        }

        builder.Complete();
        return lifecycle;
    }

    [Theory]
    [InlineData(null, 1)] // grouped at its start (minute 20): the bound (minute 30) has passed it
    [InlineData(38.0, 0)] // known at 38: grouped at 38 - 5 = 33, still ahead of the bound
    [InlineData(34.0, 1)] // known at 34: grouped at 29, which the bound has passed
    public void AnomalyEpisode_ConfirmedLate_IsGroupedHalfTheLatenessBeforeItsDetectedAt(double? detectedMinute, long late)
    {
        // The anomalies stage reports an episode after the batch that confirmed it: this one starts at minute 20 and
        // reaches the builder once event time is at minute 40 (the allowed lateness is 10 minutes). Its turn decides
        // whether it is still grouped in order or counted late and grouped on arrival.
        var episode = Anomaly(1, 20, "llm_latency.latency_ms", "gpt-4o");
        if (detectedMinute is { } minute)
        {
            episode = Tagged(episode, "detected_at", T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }

        var builder = new IncidentBuilder(new CorrelationStageOptions(), (_, _, _, _) => { });
        foreach (var evt in Ticks(0, 41))
        {
            builder.Observe(evt);
        }

        builder.Observe(episode);
        builder.Advance();

        Assert.Equal(late, builder.LateEvidence);
    }

    internal static IEnumerable<AnalyticsEvent> Ticks(int from, int to) => Enumerable.Range(from, to - from).Select(m => Tick(10_000 + m, m));

    private static List<AnalyticsEvent> DeployAndSymptoms() =>
    [
        Audit(1, 0, "deploy", ("model_id", "gpt-4o"), ("provider", "openai")),
        Anomaly(2, 2, "llm_latency.latency_ms", "gpt-4o"),
        Anomaly(3, 3, "llm_error_rate.error_rate_percent", "gpt-4o"),
        Audit(4, 15, "rollback", ("model_id", "gpt-4o"), ("provider", "openai")),
        .. Ticks(0, 90),
    ];

    [Fact]
    public void CausalLinks_DeployAndItsSymptoms_RootCausesTheSignalsAndTheErrorsBringTheRollback()
    {
        var final = Run(DeployAndSymptoms()).Last(l => l.Phase == IncidentPhase.Close).Correlation;

        Assert.Equal(
            [
                (Id(1), Id(2), CausalRelationship.DirectCause, 120_000L, 0.933333),
                (Id(1), Id(3), CausalRelationship.DirectCause, 180_000L, 0.9),
                (Id(3), Id(4), CausalRelationship.DirectCause, 720_000L, 0.6),
            ],
            final.CausalLinks.Select(l => (l.FromEventId, l.ToEventId, l.Relationship, l.TimeDeltaMs, l.Strength)));
    }

    [Fact]
    public void CausalLinks_RegistryClockAhead_DeployOrderedBeforeTheSymptomItCaused()
    {
        // The registry's clock runs four minutes ahead: its deploy (really at minute 10) is stamped 14, after the latency
        // spike it caused at minute 12. Corrected for the estimated skew, the deploy comes first.
        const double ahead = 4;
        var filler = new List<AnalyticsEvent>();
        for (var m = 0; m < 400; m++)
        {
            filler.Add(Tick(20_000 + m, m));
            filler.Add(Event(21_000 + m, m, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmCostOps));
            filler.Add(Event(22_000 + m, m, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmSentinel));
            filler.Add(Event(23_000 + m, m + ahead, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 1 }, SourceModule.LlmRegistry));
        }

        List<AnalyticsEvent> events =
        [
            .. filler.Where(e => e.Timestamp < T0.AddMinutes(300)),
            Audit(1, 300 + ahead, "deploy", ("model_id", "gpt-4o")),
            Anomaly(2, 302, "llm_latency.latency_ms", "gpt-4o"),
            .. filler.Where(e => e.Timestamp >= T0.AddMinutes(300)),
        ];

        var final = Run(events).Last(l => l.Phase == IncidentPhase.Close).Correlation;

        var link = Assert.Single(final.CausalLinks);
        Assert.Equal((Id(1), Id(2), CausalRelationship.DirectCause), (link.FromEventId, link.ToEventId, link.Relationship));
        Assert.InRange(link.TimeDeltaMs, 60_000, 180_000);
    }

    [Fact]
    public void DeployAndItsSymptoms_OneIncidentRootedAtTheDeploy()
    {
        var lifecycle = Run(DeployAndSymptoms());

        var final = lifecycle.Last(l => l.Phase == IncidentPhase.Close).Correlation;
        Assert.Equal(Ids(1, 2, 3, 4), final.Events.Select(e => e.EventId).Order());
        Assert.Equal(Id(1), final.Events.Single(e => e.Role == EventRole.RootCause).EventId);
        Assert.Equal(CorrelationType.CausalChain, final.CorrelationType);
        Assert.Contains(CorrelationType.PerformanceDegradation, final.CorrelationTypes);
        Assert.InRange(final.Strength, 0, 1);
        Assert.InRange(final.Confidence, 0.5, 1);
        Assert.Single(lifecycle, l => l.Phase == IncidentPhase.Open);
        Assert.All(lifecycle, l => Assert.Equal(final.CorrelationId, l.Correlation.CorrelationId));
    }

    [Fact]
    public void Lifecycle_UpdatesAtMostOncePerMinuteOfEventTime_AndEachLinksToThePrevious()
    {
        var lifecycle = Run(DeployAndSymptoms());

        Assert.Equal(IncidentPhase.Open, lifecycle[0].Phase);
        Assert.Equal(Guid.Empty, lifecycle[0].Parent);
        Assert.All(lifecycle.Skip(1), l => Assert.NotEqual(Guid.Empty, l.Parent));
        var updates = lifecycle.Where(l => l.Phase == IncidentPhase.Update).Select(l => l.Correlation.DetectedAt).ToList();
        Assert.All(updates.Zip(updates.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void TwoOverlappingIncidentsSharingAModel_StaySeparate()
    {
        List<AnalyticsEvent> events =
        [
            Audit(1, 0, "deploy", ("model_id", "o3-mini")),
            Anomaly(2, 2, "llm_latency.latency_ms", "o3-mini"),
            Access(3, 4, "198.51.100.7"),
            Anomaly(4, 6, "llm_token_usage.token_count", "o3-mini"),
            Threat(5, 9, "198.51.100.7"),
            .. Ticks(0, 90),
        ];

        var closes = Run(events).Where(l => l.Phase == IncidentPhase.Close).Select(l => l.Correlation).ToList();

        Assert.Equal(2, closes.Count);
        var deploy = closes.Single(c => c.Events.Any(e => e.EventId == Id(1)));
        var leak = closes.Single(c => c.Events.Any(e => e.EventId == Id(3)));
        Assert.Equal(Ids(1, 2), deploy.Events.Select(e => e.EventId).Order());
        Assert.Equal(Ids(3, 4, 5), leak.Events.Select(e => e.EventId).Order());
        Assert.Equal(CorrelationType.SecurityIncident, leak.CorrelationType);
    }

    [Fact]
    public void BroadMove_AModelThatRisesLate_JoinsWhileTheMoveIsUnderWay()
    {
        // Requests rise on gpt-4o and claude at minute 10 (co-onset) and stay up; gemini's requests rise only at 19, nine
        // minutes later, outside the alignment window of either onset but while both episodes are still open.
        List<AnalyticsEvent> events =
        [
            Anomaly(1, 10, "llm_throughput.requests_per_second", "gpt-4o"),
            Anomaly(2, 10.5, "llm_throughput.requests_per_second", "claude-3-5-sonnet"),
            Anomaly(3, 19, "llm_throughput.requests_per_second", "gemini-1.5-pro"),
            .. Ticks(0, 90),
        ];

        var closes = Run(events).Where(l => l.Phase == IncidentPhase.Close).Select(l => l.Correlation).ToList();

        var incident = Assert.Single(closes);
        Assert.Equal(Ids(1, 2, 3), incident.Events.Select(e => e.EventId).Order());
    }

    [Fact]
    public void BroadMove_AfterTheEpisodesClosed_ALateRiseStaysApart()
    {
        // The same rises, but gpt-4o's and claude's episodes closed at minute 14: by 19 the move is over, and gemini's
        // rise, nine minutes after their onsets, shares nothing else with them.
        List<AnalyticsEvent> events =
        [
            Anomaly(1, 10, "llm_throughput.requests_per_second", "gpt-4o"),
            Anomaly(2, 10.5, "llm_throughput.requests_per_second", "claude-3-5-sonnet"),
            AnomalyClose(4, 14, 1, "llm_throughput.requests_per_second", "gpt-4o"),
            AnomalyClose(5, 14, 2, "llm_throughput.requests_per_second", "claude-3-5-sonnet"),
            Anomaly(3, 19, "llm_throughput.requests_per_second", "gemini-1.5-pro"),
            .. Ticks(0, 90),
        ];

        var closes = Run(events).Where(l => l.Phase == IncidentPhase.Close).Select(l => l.Correlation).ToList();

        var incident = Assert.Single(closes);
        Assert.DoesNotContain(Id(3), incident.Events.Select(e => e.EventId));
    }

    [Fact]
    public void OpenIncidentCap_ClosesTheLeastRecentlyActiveIncident()
    {
        // Three open at most. A (gpt-a) opens first but is active again at minute 5; B (gpt-b) and the candidate C are
        // quieter. D evicts B, E evicts C, F evicts A: the least recently active each time, not the first opened.
        List<AnalyticsEvent> events =
        [
            Audit(1, 0, "deploy", ("model_id", "gpt-a")),
            Anomaly(2, 1, "llm_latency.latency_ms", "gpt-a"),
            Audit(3, 2, "deploy", ("model_id", "gpt-b")),
            Anomaly(4, 3, "llm_latency.latency_ms", "gpt-b"),
            Audit(5, 4, "deploy", ("model_id", "gpt-c")),
            Anomaly(6, 5, "llm_error_rate.error_rate_percent", "gpt-a"),
            Audit(7, 6, "deploy", ("model_id", "gpt-d")),
            Audit(8, 6.5, "deploy", ("model_id", "gpt-e")),
            Audit(9, 7, "deploy", ("model_id", "gpt-f")),
            .. Ticks(0, 25),
        ];
        var closes = new List<(string Model, string Reason)>();
        var builder = new IncidentBuilder(new CorrelationStageOptions { MaxOpenIncidents = 3 }, (incident, phase, reason, _) =>
        {
            if (phase == IncidentPhase.Close)
            {
                closes.Add((incident.Keys.Keys.Single(k => k.StartsWith("model_id=", StringComparison.Ordinal)), reason));
            }

            incident.LastEventId = Guid.NewGuid();
        });
        foreach (var chunk in events.Chunk(5))
        {
            foreach (var evt in chunk)
            {
                builder.Observe(evt);
            }

            builder.Advance();
        }

        Assert.Equal(3, builder.OpenCount);
        builder.Complete();

        Assert.Equal([("model_id=gpt-b", "open_incident_cap"), ("model_id=gpt-a", "open_incident_cap")], closes);
        Assert.Equal(3, builder.IncidentsClosedAtCap);
        Assert.Equal(2, builder.IncidentsReported);
        Assert.Equal(4, builder.CandidatesDropped);
        Assert.Equal(0, builder.OpenCount);
    }

    [Fact]
    public void NoiseOnly_NoIncident()
    {
        List<AnalyticsEvent> events =
        [
            Anomaly(1, 5, "llm_latency.latency_ms", "a"),
            Anomaly(2, 40, "llm_error_rate.error_rate_percent", "b"),
            Audit(3, 70, "scaling_change", ("region", "eu-west-1")),
            Event(4, 75, new AuthEvent { UserId = "u", Action = AuthAction.Login, Resource = "api", Success = true }, SourceModule.LlmSentinel, ("tenant", "t1")),
            .. Ticks(0, 120),
        ];

        Assert.Empty(Run(events));
    }

    [Fact]
    public void DeliveryOrderWithinTheLatenessBound_AndDuplicates_DoNotChangeTheIncidents()
    {
        var ordered = DeployAndSymptoms().OrderBy(e => e.Timestamp).ToList();
        var shuffled = new List<AnalyticsEvent>(ordered);
        var random = new Random(26);
        for (var i = 0; i < shuffled.Count; i++)
        {
            // Swap within a window of three minutes of event time, well inside the ten-minute bound.
            var j = Math.Min(shuffled.Count - 1, i + random.Next(3));
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        shuffled.Insert(10, ordered[1]);
        shuffled.Insert(20, ordered[2]);

        Assert.Equal(Describe(Run(ordered)), Describe(Run(shuffled, batch: 3)));
    }

    [Fact]
    public void Replay_GivesByteIdenticalCorrelations()
    {
        Assert.Equal(Describe(Run(DeployAndSymptoms())), Describe(Run(DeployAndSymptoms(), batch: 11)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the incident then shares the aggregates' region, a key they do not look incidents up by
    public void PolicyThatKeepsBlocking_TakesTheRisingErrorRatesOfEveryModel(bool updateNamesTheRegion)
    {
        // The violations name no model; the blocked requests fail on whichever model they were for.
        (string, string)[] updated = updateNamesTheRegion ? [("policy_id", "pol-filter"), ("region", "eu-west-1")] : [("policy_id", "pol-filter")];
        List<AnalyticsEvent> events =
        [
            Audit(1, 29.9, "policy_update", updated),
            .. Enumerable.Range(0, 12).Select(i => Violation(100 + i, 30.2 + i, "user-" + i)),
            .. ErrorRates(1_000, "gpt-4o", 30, 42),
            .. ErrorRates(2_000, "o3-mini", 30, 42),
            .. ErrorRates(3_000, "llama", 0, 0),
            .. Ticks(0, 90),
        ];

        var close = Run(events).Last(l => l.Phase == IncidentPhase.Close).Correlation;
        var ids = close.Events.Select(e => e.EventId).ToHashSet();

        Assert.All(Enumerable.Range(30, 12), m => Assert.Contains(Id(1_000 + m), ids));
        Assert.All(Enumerable.Range(30, 12), m => Assert.Contains(Id(2_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(3_000, 60).Select(Id).Contains(id));
        Assert.DoesNotContain(Id(1_000 + 55), ids);
        Assert.Equal(CorrelationType.ComplianceCascade, close.CorrelationType);
        Assert.Equal([CorrelationType.ComplianceCascade, CorrelationType.CausalChain, CorrelationType.PerformanceDegradation], close.CorrelationTypes);
    }

    [Fact]
    public void PolicyThatKeepsBlocking_AnErrorRateOnlyItNames_LastsWithTheViolations_NotWithAnotherFaultsEpisode()
    {
        // The violations (minutes 30 to 41) name every model's error rate; an error episode of another model (32 to 75)
        // joins the incident by time and keeps it open. gpt-4o's error rates, which only the policy names, are members
        // while the violations go on and one aggregate window after, not while the other episode keeps the incident open.
        List<AnalyticsEvent> stream =
        [
            Audit(1, 29.9, "policy_update", ("policy_id", "pol-filter")),
            .. Enumerable.Range(0, 12).Select(i => Violation(100 + i, 30.2 + i, "user-" + i)),
            Anomaly(2, 32, "llm_error_rate.error_rate_percent", "claude", observed: 20, baseline: 1),
            AnomalyClose(3, 75, 2, "llm_error_rate.error_rate_percent", "claude"),
            .. ErrorRates(1_000, "gpt-4o", 30, 42),
            .. Ticks(0, 120),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(2), ids);
        Assert.All(Enumerable.Range(30, 12), m => Assert.Contains(Id(1_000 + m), ids));
        Assert.All(Enumerable.Range(43, 17), m => Assert.DoesNotContain(Id(1_000 + m), ids));
    }

    [Fact]
    public void PolicyThatKeepsBlocking_AnErrorRateItsOwnEpisodeNamed_EndsWithTheViolations_NotWithAnotherFaultsEpisode()
    {
        // The violations (minutes 20 to 49) name every model's error rate; gpt-4o's own error episode (23 to 27) names its
        // model before its error rates join, so they join named by entity, and each of them renews that name. An error
        // episode of another model (24 to 100) joins by time and keeps the incident open long after the violations.
        // gpt-4o's error rates are members while the violations go on and one aggregate window after the last, not while
        // the other fault's episode lasts.
        List<AnalyticsEvent> stream =
        [
            Audit(1, 19.9, "policy_update", ("policy_id", "pol-filter")),
            .. Enumerable.Range(0, 30).Select(i => Violation(100 + i, 20.2 + i, "user-" + i)),
            Anomaly(2, 23, "llm_error_rate.error_rate_percent", "gpt-4o", observed: 20, baseline: 1),
            AnomalyClose(3, 27, 2, "llm_error_rate.error_rate_percent", "gpt-4o"),
            Anomaly(4, 24, "llm_error_rate.error_rate_percent", "claude", observed: 20, baseline: 1),
            AnomalyClose(5, 100, 4, "llm_error_rate.error_rate_percent", "claude"),
            .. ErrorRates(1_000, "gpt-4o", 20, 50),
            .. Ticks(0, 130),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(2), ids);
        Assert.Contains(Id(4), ids);
        Assert.All(Enumerable.Range(20, 30), m => Assert.Contains(Id(1_000 + m), ids));
        Assert.All(Enumerable.Range(51, 9), m => Assert.DoesNotContain(Id(1_000 + m), ids));
    }

    [Fact]
    public void PolicyThatKeepsBlocking_AnErrorRateWhoseOwnEpisodeIsStillOpen_LastsWithThatEpisode()
    {
        // As above, but gpt-4o's own error episode stays open until minute 55, past the violations' end (49): its error
        // rates are members while that episode lasts, which names them itself.
        List<AnalyticsEvent> stream =
        [
            Audit(1, 19.9, "policy_update", ("policy_id", "pol-filter")),
            .. Enumerable.Range(0, 30).Select(i => Violation(100 + i, 20.2 + i, "user-" + i)),
            Anomaly(2, 23, "llm_error_rate.error_rate_percent", "gpt-4o", observed: 20, baseline: 1),
            AnomalyClose(3, 55, 2, "llm_error_rate.error_rate_percent", "gpt-4o"),
            Anomaly(4, 24, "llm_error_rate.error_rate_percent", "claude", observed: 20, baseline: 1),
            AnomalyClose(5, 100, 4, "llm_error_rate.error_rate_percent", "claude"),
            .. ErrorRates(1_000, "gpt-4o", 20, 55),
            .. Ticks(0, 130),
        ];

        var ids = Members(stream);

        Assert.All(Enumerable.Range(20, 36), m => Assert.Contains(Id(1_000 + m), ids));
        Assert.All(Enumerable.Range(57, 3), m => Assert.DoesNotContain(Id(1_000 + m), ids));
    }

    [Fact]
    public void SingleViolation_DoesNotTakeErrorRatesOfModelsTheIncidentDoesNotName()
    {
        // A leaked key's one violation blocks nothing: another model's error spike at the same time stays out.
        List<AnalyticsEvent> events =
        [
            .. LeakedKeyWithOneViolation(),
            .. ErrorRates(1_000, "gpt-4o", 31, 45),
            .. Ticks(0, 90),
        ];

        var close = Run(events).Last(l => l.Phase == IncidentPhase.Close).Correlation;

        Assert.Equal(Ids(1, 2, 3), close.Events.Select(e => e.EventId).Order());
    }

    [Fact]
    public void SingleViolation_DoesNotTakeAnErrorEpisodeByTime()
    {
        // A leaked key's one violation blocks nothing: an error episode of another model a minute later is no effect of it.
        List<AnalyticsEvent> events =
        [
            .. LeakedKeyWithOneViolation(),
            Anomaly(4, 31, "llm_error_rate.error_rate_percent", "gpt-4o", observed: 20, baseline: 1),
            .. Ticks(0, 90),
        ];

        var leak = Run(events).Where(l => l.Phase == IncidentPhase.Close).Select(l => l.Correlation).Single(c => c.Events.Any(e => e.EventId == Id(1)));

        Assert.Equal(Ids(1, 2, 3), leak.Events.Select(e => e.EventId).Order());
    }

    /// <summary>A new address's access at minute 29, a threat from it at 30, and one exfiltration violation at 30.5.</summary>
    private static AnalyticsEvent[] LeakedKeyWithOneViolation() =>
    [
        Access(1, 29, "198.51.100.7"),
        Threat(2, 30, "198.51.100.7"),
        Event(3, 30.5, new PolicyViolationEvent
        {
            PolicyId = "pol-exfil", PolicyName = "Exfiltration", ViolationDescription = "exfiltration", ResourceId = "api", UserId = "key-1",
            Severity = PolicyViolationSeverity.High, AutoRemediated = false,
        }, SourceModule.LlmPolicyEngine, ("tenant", "t1")),
    ];

    [Theory]
    [InlineData(false)] // the login delivered after the access it let in, two minutes late
    [InlineData(true)] // every event delivered in event-time order
    public void LeakedKey_ALoginDeliveredAfterTheAccessItLetIn_IsTheEntryPoint_AndTheRisingTokensBetweenJoinIt(bool inTimeOrder)
    {
        // A leaked key's login from a new address at 29, the attacker's tokens rising on a model at 30, a later access from
        // the same address at 32. The collector delivers the login after that access: the address is new at the login
        // (the earliest access by event time), so the token rise follows an access from a new address and joins it.
        List<AnalyticsEvent> events =
        [
            Access(2, 32, "198.51.100.7"),
            Anomaly(3, 30, "llm_token_usage.token_count", "o3-mini"),
            Access(1, 29, "198.51.100.7"),
            .. Ticks(33, 90),
        ];

        var lifecycle = Run(inTimeOrder ? events.OrderBy(e => e.Timestamp) : events);
        var leak = lifecycle.Where(l => l.Phase == IncidentPhase.Close).Select(l => l.Correlation).Single(c => c.Events.Any(e => e.EventId == Id(1)));

        Assert.Equal(Ids(1, 2, 3), leak.Events.Select(e => e.EventId).Order());
    }

    [Fact]
    public void InvolvedErrorRates_JoinWhileTheEpisodeIsOpen_AndStopAfterItCloses()
    {
        // The deploy names the model, so its error rates join once they move; they stay members while the episode on
        // them is open (past the incident gap since the last other evidence), and not after it has closed.
        var close = Run(DeployRegression(deployMinute: 29.5)).Last(l => l.Phase == IncidentPhase.Close).Correlation;
        var ids = close.Events.Select(e => e.EventId).ToHashSet();

        Assert.All(Enumerable.Range(30, 21), m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(Id(1_000 + 55), ids);
    }

    [Fact]
    public void InvolvedErrorRates_JoinFromWhereTheFaultBegan_NotFromTheChangeMinutesBeforeIt()
    {
        // The deploy at 25.5 regresses its model from minute 30 on: the error rates of 25.5 to 29.5 are its normal 1 %,
        // before the fault; from 30 they are 20 %.
        var ids = Members(DeployRegression(deployMinute: 25.5));

        Assert.Contains(Id(1), ids);
        Assert.All(Enumerable.Range(30, 21), m => Assert.Contains(Id(1_000 + m), ids));
        Assert.All(Enumerable.Range(25, 5), m => Assert.DoesNotContain(Id(1_000 + m), ids));
    }

    /// <summary>
    /// A deploy of gpt-4o at <paramref name="deployMinute"/> whose regression shows from minute 30 to 51: latency and
    /// error-rate episodes and the error rates (ids 1,000 + minute) at 20 % then, 1 % around it.
    /// </summary>
    private static List<AnalyticsEvent> DeployRegression(double deployMinute) =>
    [
        Audit(1, deployMinute, "deploy", ("model_id", "gpt-4o"), ("provider", "openai")),
        Anomaly(2, 30, "llm_latency.latency_ms", "gpt-4o"),
        Anomaly(3, 30.2, "llm_error_rate.error_rate_percent", "gpt-4o"),
        AnomalyClose(4, 51, 3, "llm_error_rate.error_rate_percent", "gpt-4o"),
        AnomalyClose(5, 51, 2, "llm_latency.latency_ms", "gpt-4o"),
        .. ErrorRates(1_000, "gpt-4o", 30, 51),
        .. Ticks(0, 120),
    ];

    [Fact]
    public void ErrorEpisodeOfAModelInARegion_TakesTheRisingErrorRatesOfItsProvidersOtherModelsThere()
    {
        // A provider's regional fault: the episode places it (provider and region), so every model of the provider failing
        // in that region joins, a model of another provider in the region does not.
        List<AnalyticsEvent> stream =
        [
            Tagged(Anomaly(2, 30, "llm_error_rate.error_rate_percent", "gpt-4o"), "region", "eu-west-1"),
            .. ErrorRates(1_000, "gpt-4o", 30, 42),
            .. ErrorRates(2_000, "gpt-4o-mini", 30, 42),
            .. ErrorRates(3_000, "claude", 30, 42, provider: "anthropic"),
            .. Ticks(0, 90),
        ];

        var close = Run(stream.OrderBy(e => e.Timestamp)).Last(l => l.Phase == IncidentPhase.Close).Correlation;
        var ids = close.Events.Select(e => e.EventId).ToHashSet();

        Assert.All(Enumerable.Range(30, 12), m => Assert.Contains(Id(2_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(3_000, 60).Select(Id).Contains(id));
    }

    [Fact]
    public void DeployOfOneModel_DoesNotTakeTheErrorBlipOfAnotherModelOfItsProvider()
    {
        // The deploy names the provider, the deployed model's aggregates name the region, but nothing places a fault at
        // the provider in that region: the other model's error blip at the same time is not the deploy's.
        List<AnalyticsEvent> stream =
        [
            Audit(1, 29.5, "deploy", ("model_id", "gpt-4o"), ("provider", "openai")),
            Anomaly(2, 30, "llm_latency.latency_ms", "gpt-4o"),
            Anomaly(3, 30.2, "llm_error_rate.error_rate_percent", "gpt-4o"),
            .. ErrorRates(1_000, "gpt-4o", 30, 42),
            .. ErrorRates(2_000, "gpt-4o-mini", 31, 38),
            .. Ticks(0, 90),
        ];

        var close = Run(stream.OrderBy(e => e.Timestamp)).Last(l => l.Phase == IncidentPhase.Close).Correlation;
        var ids = close.Events.Select(e => e.EventId).ToHashSet();

        Assert.Contains(Id(1_000 + 35), ids);
        Assert.DoesNotContain(ids, id => Enumerable.Range(2_000, 60).Select(Id).Contains(id));
    }

    [Fact]
    public void TrafficRamp_SeriesThatMoved_IsAMemberFromWhereItsRampBegan()
    {
        // Demand ramps from minute 24; the token and cost episodes open at 28, minutes into the ramp. The model's
        // throughput joins from where its own rise began, not from the first episode; the flat minutes before are left out.
        List<AnalyticsEvent> stream =
        [
            Anomaly(2, 28, "llm_token_usage.total_tokens", "gpt-4o"),
            Anomaly(3, 28, "cost_token.cost_usd", "gpt-4o"),
            .. Throughputs(1_000, "gpt-4o", m => m < 24 ? 10 + (0.1 * (m % 3)) : Math.Min(20, 10 + (m - 24))),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.All([25, 26, 27, 28, 35], m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(Id(1_000 + 22), ids);
    }

    [Fact]
    public void TrafficRamp_BeganBeforeTheAlignmentWindow_IsAMemberFromItsFirstMinutes()
    {
        // A surge ramps for a quarter of an hour from minute 22; its first episodes open at 31, nine minutes into it. The
        // ramp's first minutes lie before the alignment window (26 to 31), but the move is under way through them: the
        // series joins from 22. The level minutes before the ramp stay out.
        List<AnalyticsEvent> stream =
        [
            Anomaly(2, 31, "llm_token_usage.total_tokens", "gpt-4o"),
            Anomaly(3, 31, "cost_token.cost_usd", "gpt-4o"),
            .. Throughputs(1_000, "gpt-4o", m => m < 22 ? 10 + (0.1 * (m % 3)) : Math.Min(25, 10 + (m - 21))),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.All([22, 23, 24, 25, 26, 31, 40], m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_000, 21).Select(Id).Contains(id));
    }

    [Fact]
    public void TrafficRamp_ASeriesThatJoinedFirst_IsBackFilledOverTheAlignmentWindow_WhenALaterSeriesShowsTheRampBeganEarlier()
    {
        // A surge ramps from minute 22 in both regions; its first episodes open at 31. In eu-west-1 the ramp's first
        // minutes stay within the series' noise and it jumps at 29, so it joins first and dates its own move from 29; in
        // us-east-1 (joining just after it, in the same minute) the ramp shows from 22 and moves the incident's onset
        // there. The eu-west-1 series is then a member from the alignment window before the incident was first seen
        // (26), where every series' move is searched, but not from 22: its own counts there showed no ramp.
        List<AnalyticsEvent> stream =
        [
            Anomaly(2, 31, "llm_token_usage.total_tokens", "gpt-4o"),
            Anomaly(3, 31, "cost_token.cost_usd", "gpt-4o"),
            .. Throughputs(1_000, "gpt-4o", m => m < 22 ? 10 + (0.1 * (m % 3)) : m < 29 ? 10.4 : 20),
            .. Throughputs(2_000, "gpt-4o", m => m < 22 ? 10 + (0.1 * (m % 3)) : Math.Min(25, 10 + (m - 21)), "us-east-1"),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.All([22, 23, 26, 31], m => Assert.Contains(Id(2_000 + m), ids));
        Assert.All([26, 27, 28, 29, 31], m => Assert.Contains(Id(1_000 + m), ids));
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_000, 26).Concat(Enumerable.Range(2_000, 22)).Select(Id).Contains(id));
    }

    [Fact]
    public void TrafficRamp_BlipBeforeTheAlignmentWindow_IsNotTaken()
    {
        // A one-minute blip six minutes before the episodes is not the start of their move: only the alignment window
        // before the incident was first seen is searched, so the blip stays out and the rise from minute 28 joins.
        List<AnalyticsEvent> stream =
        [
            Anomaly(2, 28, "llm_token_usage.total_tokens", "gpt-4o"),
            Anomaly(3, 28, "cost_token.cost_usd", "gpt-4o"),
            .. Throughputs(1_000, "gpt-4o", m => m == 21 ? 20 : m < 28 ? 10 + (0.1 * (m % 3)) : 20),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(1_000 + 28), ids);
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_000, 28).Select(Id).Contains(id));
    }

    [Fact]
    public void TrafficRamp_BeforeTheDeployThatRootsTheIncident_IsNotTaken()
    {
        // The model's traffic was already rising when it was deployed: what came before the deploy is not its effect.
        List<AnalyticsEvent> stream =
        [
            Audit(1, 28, "deploy", ("model_id", "gpt-4o"), ("provider", "openai")),
            Anomaly(2, 28.5, "llm_token_usage.total_tokens", "gpt-4o"),
            .. Throughputs(1_000, "gpt-4o", m => m < 24 ? 10 + (0.1 * (m % 3)) : Math.Min(20, 10 + (m - 24))),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(1_000 + 28), ids);
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_000, 28).Select(Id).Contains(id));
    }

    [Fact]
    public void DeployRegression_RetriesRaiseTheModelsRequests_ThroughputStaysOut_WithoutATrafficOrTokenSignal()
    {
        // A deploy slows gpt-4o and fails some of its requests; the retries raise its requests per second by a third. A
        // deploy can fail requests, so it moves demand only through what its fault sets off, and no traffic or token
        // signal of the incident shows that here: the throughput series is not a member, the error rates are.
        var ids = Members(DeployWithRetries(tokenEpisode: false));

        Assert.Contains(Id(2_000 + 35), ids);
        Assert.DoesNotContain(ids, id => Enumerable.Range(1_000, 60).Select(Id).Contains(id));
    }

    [Fact]
    public void DeployRegression_RetriesRaiseTheModelsTokens_ThroughputJoins_WhenATokenEpisodeShowsIt()
    {
        // The same deploy, and the retries' token spike is an episode of the incident: the throughput series moved with
        // what the incident shows, so it joins.
        var ids = Members(DeployWithRetries(tokenEpisode: true));

        Assert.Contains(Id(1_000 + 35), ids);
    }

    /// <summary>A deploy of gpt-4o at minute 29.5, its latency and error episodes, error rates from minute 30 to 45, and
    /// its throughput a third higher from minute 30 (retries); with <paramref name="tokenEpisode"/>, a token episode too.</summary>
    private static List<AnalyticsEvent> DeployWithRetries(bool tokenEpisode) =>
    [
        Audit(1, 29.5, "deploy", ("model_id", "gpt-4o"), ("provider", "openai")),
        Anomaly(2, 30, "llm_latency.latency_ms", "gpt-4o"),
        Anomaly(3, 30.2, "llm_error_rate.error_rate_percent", "gpt-4o"),
        .. tokenEpisode ? [Anomaly(4, 31, "llm_token_usage.total_tokens", "gpt-4o")] : Array.Empty<AnalyticsEvent>(),
        .. ErrorRates(2_000, "gpt-4o", 30, 45),
        .. Throughputs(1_000, "gpt-4o", m => m < 30 ? 10 + (0.1 * (m % 3)) : 13),
        .. Ticks(0, 90),
    ];

    [Fact]
    public void RegionalVolumeRise_NamesItsModelInItsRegionOnly_NotARegionOnTheDaysRamp()
    {
        // A leaked key's traffic on o3-mini, from one region: the anomalies stage scoped its token and spend episodes to
        // eu-west-1, which doubles at minute 27. us-east-1, as busy, only follows the afternoon's slow ramp, which its
        // running sum of deviations takes for a move: the model is named there by no member, so its throughput stays out.
        List<AnalyticsEvent> stream =
        [
            InRegion(Anomaly(2, 28, "llm_token_usage.total_tokens", "o3-mini"), "eu-west-1"),
            InRegion(Anomaly(3, 28, "cost_token.cost_usd", "o3-mini"), "eu-west-1"),
            .. Throughputs(1_000, "o3-mini", m => m < 27 ? 10 + (0.1 * (m % 3)) : 20),
            .. Throughputs(2_000, "o3-mini", m => 10 + (0.1 * (m % 3)) + (m < 20 ? 0 : 0.06 * (m - 20)), "us-east-1"),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(1_000 + 35), ids);
        Assert.DoesNotContain(ids, id => Enumerable.Range(2_000, 60).Select(Id).Contains(id));
    }

    [Fact]
    public void RegionScopedRiseOfAMean_NamesItsModelInItsRegionOnly_LikeAVolumeRise()
    {
        // The same leaked key, whose mean latency and completion size rose too, and the anomalies stage scoped those
        // episodes to eu-west-1 as well (the model's requests rose there alone): a rising episode of the model carrying a
        // region names its model in that region only, whatever it measures, so us-east-1's throughput still stays out.
        List<AnalyticsEvent> stream =
        [
            InRegion(Anomaly(2, 28, "llm_token_usage.total_tokens", "o3-mini"), "eu-west-1"),
            InRegion(Anomaly(3, 28, "cost_token.cost_usd", "o3-mini"), "eu-west-1"),
            InRegion(Anomaly(4, 28.5, "llm_latency.latency_ms", "o3-mini"), "eu-west-1"),
            InRegion(Anomaly(5, 29, "llm_token_usage.completion_tokens", "o3-mini"), "eu-west-1"),
            .. Throughputs(1_000, "o3-mini", m => m < 27 ? 10 + (0.1 * (m % 3)) : 20),
            .. Throughputs(2_000, "o3-mini", m => 10 + (0.1 * (m % 3)) + (m < 20 ? 0 : 0.06 * (m - 20)), "us-east-1"),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(4), ids);
        Assert.Contains(Id(1_000 + 35), ids);
        Assert.DoesNotContain(ids, id => Enumerable.Range(2_000, 60).Select(Id).Contains(id));
    }

    [Fact]
    public void ModelWideVolumeRise_NamesItsModelInEveryRegion()
    {
        // The same rise as an episode of the whole model (the stage found it in every region's traffic): both regions'
        // throughput that moved is named.
        List<AnalyticsEvent> stream =
        [
            Anomaly(2, 28, "llm_token_usage.total_tokens", "o3-mini"),
            Anomaly(3, 28, "cost_token.cost_usd", "o3-mini"),
            .. Throughputs(1_000, "o3-mini", m => m < 27 ? 10 + (0.1 * (m % 3)) : 15),
            .. Throughputs(2_000, "o3-mini", m => m < 27 ? 2 + (0.02 * (m % 3)) : 3, "us-east-1"),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(1_000 + 35), ids);
        Assert.Contains(Id(2_000 + 35), ids);
    }

    [Theory]
    [InlineData(true)] // the episodes list the two regions that carried the rise: us-east-1's small shift stays out
    [InlineData(false)] // the same episodes of the whole model (every region carried it): us-east-1's shift joins too
    public void ModelWideRiseCarriedBySomeRegions_NamesItsModelInThoseRegionsOnly_ABusyRegionThatBarelyMovedStaysOut(bool listsTheRegions)
    {
        // A surge whose tenants call o3-mini in eu-west-1 and us-west-2: the anomalies stage found the rise in both (so
        // the episodes carry no region) and listed them as the regions that carried it, while the busy us-east-1 rose by
        // a fifth only (eu-west-1 by half, us-west-2 by half). us-east-1's lasting shift sums past the move threshold, but
        // the stage ruled it out: the model is named in the two regions only, so us-east-1's throughput stays out and the
        // others join.
        AnalyticsEvent Scoped(AnalyticsEvent episode) => listsTheRegions ? RiseIn(episode, "eu-west-1,us-west-2") : episode;
        List<AnalyticsEvent> stream =
        [
            Scoped(Anomaly(2, 28, "llm_token_usage.total_tokens", "o3-mini")),
            Scoped(Anomaly(3, 28, "llm_throughput.requests_per_second", "o3-mini")),
            .. Throughputs(1_000, "o3-mini", m => m < 27 ? 10 + (0.1 * (m % 3)) : 15),
            .. Throughputs(2_000, "o3-mini", m => m < 27 ? 4 + (0.04 * (m % 3)) : 6, "us-west-2"),
            .. Throughputs(3_000, "o3-mini", m => m < 27 ? 30 + (0.3 * (m % 3)) : 36, "us-east-1"),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(1_000 + 35), ids);
        Assert.Contains(Id(2_000 + 35), ids);
        Assert.Equal(!listsTheRegions, ids.Contains(Id(3_000 + 35)));
        Assert.Equal(!listsTheRegions, ids.Any(id => Enumerable.Range(3_000, 60).Select(Id).Contains(id)));
    }

    [Theory]
    [InlineData(true, false)] // traffic was switched onto gpt-4o there: its rise places nothing at openai in eu-west-1
    [InlineData(false, true)] // without the switch, gpt-4o's moving series places openai there, and gpt-4o-mini's move joins
    public void FailoverTarget_ItsRiseFromTheSwitchedTraffic_PlacesNothingAtItsProviderInTheRegion(bool switched, bool otherModelJoins)
    {
        // A provider outage's far side: at 27 the router fails claude's traffic in eu-west-1 over onto gpt-4o, whose
        // requests there double and whose tokens rise (an episode scoped to eu-west-1). gpt-4o-mini, of gpt-4o's provider,
        // moves on its own in eu-west-1 from 30. The fallback's rise is the switched traffic, not a fault of openai in the
        // region, so it does not name openai's other models there.
        List<AnalyticsEvent> stream =
        [
            .. switched ? [Switch(1, 27, "claude", "gpt-4o")] : Array.Empty<AnalyticsEvent>(),
            InRegion(Anomaly(2, 29, "llm_token_usage.total_tokens", "gpt-4o"), "eu-west-1"),
            .. Throughputs(1_000, "gpt-4o", m => m < 27 ? 10 + (0.1 * (m % 3)) : 20),
            .. Throughputs(2_000, "gpt-4o-mini", m => m < 30 ? 10 + (0.1 * (m % 3)) : 13),
            .. Ticks(0, 90),
        ];

        var ids = Members(stream);

        Assert.Contains(Id(1_000 + 35), ids);
        Assert.Equal(otherModelJoins, ids.Contains(Id(2_000 + 35)));
    }

    [Theory]
    [InlineData(true, null, false)] // the switched traffic seen model-wide: gpt-4o's name does not tie it to the failover's side
    [InlineData(false, null, true)] // without a switch, a rise of the whole model joins the incident that names the model
    [InlineData(true, "eu-west-1,us-west-2", false)] // a rise listed in the switch's region and another: still the switched traffic
    [InlineData(true, "us-east-1,us-west-2", true)] // a rise listed in other regions only: the switch moved none of its traffic
    public void FailoverTarget_ItsModelWideRiseAfterTheSwitch_DoesNotJoinByItsModel(bool switched, string? riseRegions, bool joins)
    {
        // The same failover onto gpt-4o in eu-west-1; besides the token rise scoped to eu-west-1, the anomalies stage
        // reports gpt-4o's requests rising as the whole model's (no region). Read as a rise in every region, it would bring
        // gpt-4o's series of every region into the incident of a switch that moved one region's traffic.
        List<AnalyticsEvent> stream =
        [
            .. switched ? [Switch(1, 27, "claude", "gpt-4o")] : Array.Empty<AnalyticsEvent>(),
            InRegion(Anomaly(2, 29, "llm_token_usage.total_tokens", "gpt-4o"), "eu-west-1"),
            riseRegions is null ? Anomaly(3, 30, "llm_throughput.requests_per_second", "gpt-4o") : RiseIn(Anomaly(3, 30, "llm_throughput.requests_per_second", "gpt-4o"), riseRegions),
            .. Throughputs(1_000, "gpt-4o", m => m < 27 ? 10 + (0.1 * (m % 3)) : 20),
            .. Ticks(0, 90),
        ];

        var closed = Run(stream.OrderBy(e => e.Timestamp)).Where(l => l.Phase == IncidentPhase.Close).Select(l => l.Correlation).ToList();
        var fallback = Assert.Single(closed, c => c.Events.Any(e => e.EventId == Id(2)));

        Assert.Equal(joins, fallback.Events.Any(e => e.EventId == Id(3)));
    }

    [Fact]
    public void FailoverTarget_WhenItsRiseJoins_TheSwitchBringsTheFailedProvidersSideFromTheFaultsStart()
    {
        // The switch joins the incident gpt-4o's rise opens, and brings claude's error rates and throughput in
        // eu-west-1 from the first minute its error rate left its level.
        var ids = Members(OutageFailingOverOntoGpt4o());

        Assert.Contains(Id(1_000 + 35), ids);
        Assert.Contains(Id(1), ids);
        Assert.All(Enumerable.Range(23, 4), m => Assert.Contains(Id(3_000 + m), ids));
        Assert.All(Enumerable.Range(23, 4), m => Assert.Contains(Id(4_000 + m), ids));
        Assert.DoesNotContain(Id(3_000 + 22), ids);
        Assert.DoesNotContain(Id(4_000 + 22), ids);
    }

    [Fact]
    public void FailoverTarget_TheFailedSideItBrings_NamesNothing_SoTheFailedModelsMovesElsewhereStayOut()
    {
        // The outage above, and claude's traffic in us-east-1 rising from 30 for reasons of its own. The failed side
        // joins the failover's incident, but it names nothing (no model, no place): the incident is the fallback's rise,
        // and claude's series in other regions are not its members because claude's eu-west-1 errors are.
        var ids = Members(
        [
            .. OutageFailingOverOntoGpt4o(),
            .. Throughputs(6_000, "claude", m => m < 30 ? 10 + (0.1 * (m % 3)) : 20, region: "us-east-1", provider: "anthropic"),
        ]);

        Assert.All(Enumerable.Range(23, 4), m => Assert.Contains(Id(3_000 + m), ids));
        Assert.All(Enumerable.Range(0, 60), m => Assert.DoesNotContain(Id(6_000 + m), ids));
    }

    /// <summary>
    /// A provider outage in full: claude (anthropic) fails in eu-west-1 from 23, its error rate at 20 % for the four
    /// minutes before the router fails its traffic over onto gpt-4o at 27 (id 1); claude has no traffic there after that.
    /// Minutes of errors confirm no episode, and aggregates open no incident: only gpt-4o's rise (ids from 1,000), the
    /// traffic the switch moved, opens one (a token episode scoped to eu-west-1, id 2). Claude's error rates in eu-west-1
    /// have ids from 3,000, its throughput from 4,000 (by minute).
    /// </summary>
    private static List<AnalyticsEvent> OutageFailingOverOntoGpt4o() =>
    [
        Switch(1, 27, "claude", "gpt-4o"),
        InRegion(Anomaly(2, 29, "llm_token_usage.total_tokens", "gpt-4o"), "eu-west-1"),
        .. Throughputs(1_000, "gpt-4o", m => m < 27 ? 10 + (0.1 * (m % 3)) : 20),
        .. ErrorRates(3_000, "claude", 23, 27, "anthropic").Take(27),
        .. Throughputs(4_000, "claude", m => 10 + (0.1 * (m % 3)), provider: "anthropic").Take(27),
        .. Ticks(0, 90),
    ];

    /// <summary>A failover: the router switches a region's traffic away from <paramref name="from"/> (of anthropic) onto <paramref name="to"/>.</summary>
    private static AnalyticsEvent Switch(int id, double minute, string from, string to) =>
        Event(id, minute, new AuditTrailEvent
        {
            Action = "model_switch", Actor = "router", ResourceType = "routing_rule", ResourceId = "route-anthropic-eu-west-1",
            Changes = new Dictionary<string, JsonElement>
            {
                ["from"] = JsonSerializer.SerializeToElement(from),
                ["to"] = JsonSerializer.SerializeToElement(to),
            },
        }, SourceModule.LlmRegistry, ("provider", "anthropic"), ("region", "eu-west-1"));

    /// <summary>An anomaly episode's event scoped to <paramref name="region"/> (the anomalies stage's region tag).</summary>
    private static AnalyticsEvent InRegion(AnalyticsEvent evt, string region) =>
        evt with { Common = evt.Common with { Tags = new Dictionary<string, string>(evt.Common.Tags) { ["region"] = region } } };

    /// <summary>An anomaly episode's event of a whole model whose rise the anomalies stage found carried by <paramref name="regions"/> (its <c>rise_regions</c> tag).</summary>
    private static AnalyticsEvent RiseIn(AnalyticsEvent evt, string regions) =>
        evt with { Common = evt.Common with { Tags = new Dictionary<string, string>(evt.Common.Tags) { ["rise_regions"] = regions } } };

    /// <summary>A model's one-minute throughput in a region (eu-west-1 unless given; of openai unless given) for 60 minutes, requests per second from <paramref name="rps"/> (50 tokens each).</summary>
    private static IEnumerable<AnalyticsEvent> Throughputs(int firstId, string model, Func<int, double> rps, string region = "eu-west-1", string provider = "openai") =>
        Enumerable.Range(0, 60).Select(m => Event(firstId + m, m + 0.5, new ThroughputMetrics
        {
            ModelId = model, RequestsPerSecond = rps(m), TokensPerSecond = 50 * rps(m), ConcurrentRequests = 4, WindowDurationSeconds = 60,
        }, SourceModule.LlmObservatory, ("region", region), ("provider", provider)));

    /// <summary>The members of the last incident closed on the time-ordered stream.</summary>
    private static HashSet<Guid> Members(IEnumerable<AnalyticsEvent> stream) =>
        [.. Run(stream.OrderBy(e => e.Timestamp)).Last(l => l.Phase == IncidentPhase.Close).Correlation.Events.Select(e => e.EventId)];

    private static List<string> Describe(List<(IncidentPhase Phase, EventCorrelation Correlation, Guid Parent)> lifecycle) =>
        [.. lifecycle.Where(l => l.Phase == IncidentPhase.Close).Select(l => JsonSerializer.Serialize(l.Correlation, CorrelationJsonContext.Wire.EventCorrelation))];

    private static Guid[] Ids(params int[] ids) => [.. ids.Select(Id).Order()];
}
