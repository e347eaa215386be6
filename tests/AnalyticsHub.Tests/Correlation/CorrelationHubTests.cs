using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>The hub stores what the <c>correlation</c> stage finds and answers <see cref="CorrelationQuery"/>s on it.</summary>
public class CorrelationHubTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 12, 12, 0, 0, TimeSpan.Zero);

    private static Guid Id(int n) => new(n, 5, 5, 1, 2, 3, 4, 5, 6, 7, 8);

    private static AnalyticsEvent Event(int id, double minute, EventPayload payload, SourceModule module, EventType type, params (string Key, string Value)[] tags) => new()
    {
        Common = new CommonEventFields
        {
            EventId = Id(id),
            Timestamp = T0.AddMinutes(minute),
            SourceModule = module,
            EventType = type,
            Severity = Severity.Info,
            Environment = "production",
            Tags = tags.ToDictionary(t => t.Key, t => t.Value),
        },
        Payload = payload,
    };

    private static AnalyticsEvent Deploy(int id, double minute, string action) =>
        Event(id, minute, new AuditTrailEvent { Action = action, Actor = "ci", ResourceType = "model_deployment", ResourceId = "gpt-4o" },
            SourceModule.LlmRegistry, EventType.Audit, ("model_id", "gpt-4o"), ("provider", "openai"));

    private static AnalyticsEvent Anomaly(int id, double minute, string metric) =>
        Event(id, minute, new CustomPayload
        {
            CustomType = AnomalyStage.CustomType,
            Data = JsonSerializer.SerializeToElement(new AnomalyEvent
            {
                EventId = Id(id),
                SourceModule = SourceModule.LlmObservatory,
                AnomalyType = AnomalyType.Spike,
                AnomalyScore = 0.9,
                Baseline = 1,
                Observed = 10,
                Deviation = 9,
                Timestamp = T0.AddMinutes(minute),
                Metric = metric,
            }, AnomaliesJsonContext.Wire.AnomalyEvent),
        }, SourceModule.LlmAnalyticsHub, EventType.Alert, ("model_id", "gpt-4o"), ("metric", metric), ("statistic", "mean"), ("anomaly_phase", "open"), ("episode_start", "x"));

    private static AnalyticsEvent Tick(int id, double minute) =>
        Event(id, minute, new LatencyMetrics { ModelId = "quiet", RequestId = "r" + id, TotalLatencyMs = 100 }, SourceModule.LlmObservatory, EventType.Telemetry);

    private static List<AnalyticsEvent> DeployAndSymptoms() =>
    [
        Deploy(1, 0, "deploy"),
        Anomaly(2, 2, "llm_latency.latency_ms"),
        Anomaly(3, 3, "llm_error_rate.error_rate_percent"),
        Deploy(4, 15, "rollback"),
        .. Enumerable.Range(0, 90).Select(m => Tick(10_000 + m, m)),
    ];

    private static async Task<(ServiceProvider Provider, IAnalyticsHub Hub)> RunAsync(IEnumerable<AnalyticsEvent> events, Action<AnalyticsHubOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(T0.AddDays(1)));
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        register?.Invoke(services);
        var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        foreach (var chunk in events.OrderBy(e => e.Common.Timestamp).Chunk(10))
        {
            var result = await hub.IngestAsync(chunk);
            Assert.Equal(chunk.Length, result.AcceptedCount);
            await result.Completion;
        }

        await hub.FlushAsync();
        return (provider, hub);
    }

    [Fact]
    public async Task Patterns_ADeployThenItsLatencyEpisode_SetsPatternMatchOnTheIncident_AndNamesThePattern()
    {
        var pattern = new CorrelationPattern
        {
            PatternId = "bad-deploy", Name = "Deploy, then latency", Description = "A deploy followed within five minutes by a latency episode.",
            Modules = [SourceModule.LlmRegistry, SourceModule.LlmAnalyticsHub],
            Sequence =
            [
                PatternMatcherTests.Step(1, SourceModule.LlmRegistry, EventType.Audit, null, ("deploy", "action == \"deploy\"")),
                PatternMatcherTests.Step(2, SourceModule.LlmAnalyticsHub, EventType.Alert, 5 * 60_000, ("latency", "tags.metric == \"llm_latency.latency_ms\"")),
            ],
        };
        var unmatched = pattern with { PatternId = "late-latency", Sequence = [pattern.Sequence[0], pattern.Sequence[1] with { TimeOffsetMs = 60_000 }] };
        var (provider, hub) = await RunAsync(DeployAndSymptoms(), o =>
        {
            o.Correlation.AddPattern(unmatched);
            o.Correlation.AddPattern(pattern);
        });
        await using var _ = provider;

        var incident = Assert.Single((await hub.QueryCorrelationsAsync(new CorrelationQuery { SeedEventId = Id(1), TimeWindowMinutes = 60, MinStrength = 0 })).Correlations!);

        Assert.Equal("bad-deploy", incident.Pattern?.PatternId);
        Assert.Equal(CorrelationType.CausalChain, incident.CorrelationType);
        Assert.Equal(CorrelationType.PatternMatch, incident.CorrelationTypes[1]);
        Assert.Equal($"{Id(1):D},{Id(2):D}", incident.Metadata["pattern_events"]);
        // The newest lifecycle event (newest first) carries the incident as stored.
        var latest = (await hub.QueryEventsAsync(new EventQuery { Subtype = CorrelationStage.CustomType, CorrelationId = incident.CorrelationId })).Events[0];
        var written = JsonSerializer.Deserialize(((CustomPayload)latest.Payload).Data, CorrelationJsonContext.Wire.EventCorrelation)!;
        Assert.Equal("bad-deploy", written.Pattern?.PatternId);
        Assert.Contains(CorrelationType.PatternMatch, written.CorrelationTypes);
    }

    [Fact]
    public async Task MemoryReport_CountsTheAnalysisState_TheUsageLedgerGrowingWithTheMinutesSeen()
    {
        static async Task<CorrelationMemoryReport> ReportAfterAsync(int minutes)
        {
            var (provider, _) = await RunAsync(Enumerable.Range(0, minutes).Select(m => Tick(10_000 + m, m)));
            await using var _ = provider;
            return provider.GetServices<global::AnalyticsHub.Pipeline.IIngestionStage>().OfType<CorrelationStage>().Single().MemoryReport;
        }

        var tenMinutes = await ReportAfterAsync(10);
        var twoHours = await ReportAfterAsync(120);

        // The ledger keeps a bucket per minute of usage seen: its bytes are part of the total and grow with the minutes.
        Assert.True(tenMinutes.AnalysisBytes > 0);
        Assert.True(twoHours.AnalysisBytes > tenMinutes.AnalysisBytes);
        Assert.True(twoHours.EstimatedBytes >= twoHours.AnalysisBytes);
        Assert.Equal(twoHours.EstimatedBytes - twoHours.AnalysisBytes, tenMinutes.EstimatedBytes - tenMinutes.AnalysisBytes);
    }

    [Fact]
    public async Task QueryCorrelationsAsync_DeployAndItsSymptoms_AreQueriedBackAsOneIncident()
    {
        var (provider, hub) = await RunAsync(DeployAndSymptoms());
        await using var _ = provider;

        var recent = await hub.QueryCorrelationsAsync(new CorrelationQuery { SeedEventId = Guid.Empty, TimeWindowMinutes = 24 * 60, MinStrength = 0 });

        Assert.True(recent.IsSuccess);
        var incident = Assert.Single(recent.Correlations);
        Assert.Equal([Id(1), Id(2), Id(3), Id(4)], incident.Events.Select(e => e.EventId).Order());
        Assert.Equal(Id(1), incident.Events.Single(e => e.Role == EventRole.RootCause).EventId);
        Assert.Equal(CorrelationType.CausalChain, incident.CorrelationType);

        var fromDeploy = await hub.QueryCorrelationsAsync(new CorrelationQuery { SeedEventId = Id(1), TimeWindowMinutes = 60, MinStrength = 0, IncludeModules = [SourceModule.LlmRegistry] });
        Assert.Equal(incident, Assert.Single(fromDeploy.Correlations!));
        Assert.Equal(incident, await hub.GetCorrelationAsync(incident.CorrelationId));
    }

    [Fact]
    public async Task QueryCorrelationsAsync_StageWrappedByAHostsDecorator_StillFindsTheIncidentBeforeTheStop()
    {
        // The decorator hides the pipeline's call after a batch's derived events: the stage then takes the events it
        // held back when the next batch brings producers' events, so it holds at most one batch and still correlates.
        var (provider, hub) = await RunAsync(DeployAndSymptoms(), register: services =>
        {
            var index = services.ToList().FindIndex(d => d.ServiceType == typeof(IIngestionStage) && d.ImplementationFactory?.Method.ReturnType == typeof(CorrelationStage));
            var factory = services[index].ImplementationFactory!;
            services[index] = ServiceDescriptor.Singleton<IIngestionStage>(sp => new Decorated((IIngestionStage)factory(sp)));
        });
        await using var _ = provider;

        var recent = await hub.QueryCorrelationsAsync(new CorrelationQuery { SeedEventId = Guid.Empty, TimeWindowMinutes = 24 * 60, MinStrength = 0 });

        var incident = Assert.Single(recent.Correlations!);
        Assert.Equal([Id(1), Id(2), Id(3), Id(4)], incident.Events.Select(e => e.EventId).Order());
    }

    /// <summary>A host's decorator of a stage: passes the stage's own calls on, knows nothing of the hub's internal ones.</summary>
    private sealed class Decorated(IIngestionStage inner) : IIngestionStage
    {
        public string Name => inner.Name;

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken) => inner.ProcessAsync(batch, cancellationToken);

        public ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken) => inner.CompleteAsync(batch, cancellationToken);
    }

    [Fact]
    public async Task GetCorrelationAsync_HoldsTheLatestLifecycleEventsState()
    {
        var (provider, hub) = await RunAsync(DeployAndSymptoms());
        await using var _ = provider;
        var page = await hub.QueryEventsAsync(new global::AnalyticsHub.Storage.EventQuery { PayloadType = PayloadType.Custom, Subtype = CorrelationStage.CustomType, Order = global::AnalyticsHub.Api.SortOrder.Asc, PerPage = 100 });
        Assert.NotEmpty(page.Events);
        var last = JsonSerializer.Deserialize(((CustomPayload)page.Events[^1].Payload).Data, CorrelationJsonContext.Wire.EventCorrelation)!;

        var stored = await hub.GetCorrelationAsync(last.CorrelationId);

        Assert.Equal(JsonSerializer.Serialize(last, CorrelationJsonContext.Wire.EventCorrelation), JsonSerializer.Serialize(stored, CorrelationJsonContext.Wire.EventCorrelation));
    }

    [Fact]
    public async Task QueryCorrelationsAsync_NoiseOnly_FindsNothing()
    {
        var (provider, hub) = await RunAsync(Enumerable.Range(0, 60).Select(m => Tick(20_000 + m, m)));
        await using var _ = provider;

        var result = await hub.QueryCorrelationsAsync(new CorrelationQuery { SeedEventId = Guid.Empty, TimeWindowMinutes = 24 * 60, MinStrength = 0 });

        Assert.True(result.IsSuccess);
        Assert.Empty(result.Correlations);
    }

    [Fact]
    public async Task QueryCorrelationsAsync_BadQuery_ComesBackWithCodeAndPath()
    {
        var (provider, hub) = await RunAsync([]);
        await using var _ = provider;

        var result = await hub.QueryCorrelationsAsync(new CorrelationQuery { SeedEventId = Guid.Empty, TimeWindowMinutes = 60, MinStrength = 2 });

        Assert.False(result.IsSuccess);
        Assert.Equal(("number_out_of_range", "$.min_strength"), (result.Problems[0].Code, result.Problems[0].Path));
    }
}
