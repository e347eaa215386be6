using System.Collections.Concurrent;
using System.Text.Json;
using AnalyticsHub.Alerts;
using AnalyticsHub.Correlation;
using AnalyticsHub.Correlation.Alerts;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>The hub emits root cause and impact as <c>anomaly_correlation</c> events, links them from the stored incident, and alerts its sinks.</summary>
public class CorrelationAnalysisHubTests
{
    /// <summary>An hour of steady gpt-4o traffic (6 requests a minute), a deploy at minute 60, its latency and error episodes, then slower, pricier traffic.</summary>
    private static List<AnalyticsEvent> DeployWithTraffic(RootCauseFixture f, out AnalyticsEvent deploy)
    {
        var events = new List<AnalyticsEvent>();
        for (var minute = 0; minute < 90; minute++)
        {
            var regressed = minute >= 60 && minute < 75;
            for (var i = 0; i < 6; i++)
            {
                var at = minute + (i / 6.0);
                (string, string)[] tags = [("region", "eu-west-1"), ("tenant", "t1"), ("provider", "openai"), ("status", regressed && i == 0 ? "error" : "ok")];
                events.Add(f.Make(at, new LatencyMetrics { ModelId = "gpt-4o", RequestId = "r" + minute + "-" + i, TotalLatencyMs = regressed ? 900 : 300 }, SourceModule.LlmObservatory, tags));
                events.Add(f.Make(at, new TokenUsageMetrics { ModelId = "gpt-4o", RequestId = "r" + minute + "-" + i, PromptTokens = 1_000, CompletionTokens = regressed ? 900u : 300u, TotalTokens = regressed ? 1_900u : 1_300u }, SourceModule.LlmObservatory, tags));
            }
        }

        deploy = f.Change(60, "deploy", "gpt-4o-serving@v2.1", ("model_id", "gpt-4o"), ("provider", "openai"));
        events.Add(f.Change(57, "deploy", "embedding-service@v3", ("service", "embedding-service"), ("model_id", "text-embedding-3-small")));
        events.Add(deploy);
        events.Add(f.Signal(61.5, "llm_latency.latency_ms", "gpt-4o", observed: 900, baseline: 300));
        events.Add(f.Signal(62, "llm_error_rate.error_rate_percent", "gpt-4o", observed: 16, baseline: 1));
        events.Add(f.Change(75, "rollback", "gpt-4o-serving@v1.9", ("model_id", "gpt-4o"), ("provider", "openai")));
        return events;
    }

    private static async Task<(ServiceProvider Provider, IAnalyticsHub Hub)> RunAsync(IEnumerable<AnalyticsEvent> events, IAlertSink? sink = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(RootCauseFixture.T0.AddDays(1)));
        var builder = services.AddAnalyticsHub(o => o.Ingestion.RetryBaseDelay = TimeSpan.Zero);
        if (sink is not null)
        {
            builder.AddAlertSink(sink).AddAlertSink(sink);
        }

        var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        foreach (var chunk in events.OrderBy(e => e.Common.Timestamp).Chunk(64))
        {
            var result = await hub.IngestAsync(chunk);
            Assert.Equal(chunk.Length, result.AcceptedCount);
            await result.Completion;
        }

        await hub.FlushAsync();
        return (provider, hub);
    }

    private static async Task<List<AnalyticsEvent>> CustomAsync(IAnalyticsHub hub, string type)
    {
        var page = await hub.QueryEventsAsync(new global::AnalyticsHub.Storage.EventQuery { PayloadType = PayloadType.Custom, Subtype = type, Order = global::AnalyticsHub.Api.SortOrder.Asc, PerPage = 1_000 });
        return [.. page.Events];
    }

    [Fact]
    public async Task RootCauseAndImpact_AreEmittedJoinedByCorrelationId_AndLinkedFromTheStoredIncident()
    {
        var f = new RootCauseFixture();
        var (provider, hub) = await RunAsync(DeployWithTraffic(f, out var deploy));
        await using var _ = provider;

        var lifecycle = await CustomAsync(hub, CorrelationStage.CustomType);
        var analyses = await CustomAsync(hub, CorrelationStage.AnalysisCustomType);

        Assert.Equal(lifecycle.Count, analyses.Count);
        Assert.Equal(lifecycle.Select(e => e.EventId), analyses.Select(e => e.Common.ParentEventId!.Value));
        Assert.Equal(lifecycle.Select(e => e.Common.CorrelationId), analyses.Select(e => e.Common.CorrelationId));
        var last = JsonSerializer.Deserialize(((CustomPayload)analyses[^1].Payload).Data, CorrelationJsonContext.Wire.AnomalyCorrelation)!;
        Assert.Equal(analyses[^1].Common.CorrelationId, last.CorrelationId);
        Assert.Equal(deploy.EventId, last.RootCause!.RootEventId);
        Assert.Equal(deploy.EventId, last.RootCause.Candidates[0].EventId);
        Assert.InRange(last.Anomalies.Count, 2, 10);
        Assert.True(last.Impact.CostImpact!.AdditionalCostUsd > 0);
        Assert.True(last.Impact.PerformanceImpact!.LatencyIncreasePercent > 100);

        var stored = (await hub.GetCorrelationAsync(last.CorrelationId))!;
        Assert.Equal("event:" + deploy.EventId, stored.Metadata["root_cause"]);
        Assert.Equal(analyses[^1].EventId.ToString(), stored.Metadata["analysis_event_id"]);
        Assert.Equal(deploy.EventId, stored.Events.Single(e => e.Role == EventRole.RootCause).EventId);
    }

    [Fact]
    public async Task AlertSink_GetsOneAlertPerIncidentAndStep_OffTheIngestionPath()
    {
        var f = new RootCauseFixture();
        var sink = new RecordingSink();
        var (provider, hub) = await RunAsync(DeployWithTraffic(f, out var deploy), sink);
        await hub.StopAsync();
        await using var _ = provider;

        Assert.NotEmpty(sink.Alerts);
        Assert.Equal(sink.Alerts.Count, sink.Alerts.Select(a => (a.CorrelationId, a.Severity)).Distinct().Count());
        Assert.Equal(sink.Alerts.Count, sink.Alerts.Select(a => a.AlertId).Distinct().Count());
        var alert = sink.Alerts.MaxBy(a => a.Severity)!;
        Assert.Equal(deploy.EventId, alert.Analysis.RootCause!.RootEventId);
        Assert.Equal(ImpactAssessment.ResponseTimeOf(alert.Severity), alert.RespondWithin);
        Assert.Contains("event:" + deploy.EventId, alert.Summary, StringComparison.Ordinal);
    }

    private sealed class RecordingSink : IAlertSink
    {
        private readonly ConcurrentQueue<CorrelationAlert> _alerts = new();

        public List<CorrelationAlert> Alerts => [.. _alerts];

        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            _alerts.Enqueue(Assert.IsType<CorrelationAlert>(alert));
            return ValueTask.CompletedTask;
        }
    }
}
