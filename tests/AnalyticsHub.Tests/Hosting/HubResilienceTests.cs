using System.Diagnostics;
using System.Diagnostics.Metrics;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.Tests.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static AnalyticsHub.Tests.Hosting.HubTestDoubles;

namespace AnalyticsHub.Tests.Hosting;

/// <summary>Retries, the circuit breaker, health and telemetry through the hub (issue 23).</summary>
public sealed class HubResilienceTests
{
    private readonly FakeTimeProvider _clock = new(SampleEvents.Now);

    private ServiceProvider Build(Action<AnalyticsHubOptions>? configure = null, Action<IServiceCollection>? register = null, TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock ?? _clock);
        register?.Invoke(services);
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            o.DisabledStages = ["time_series", "metrics", "anomalies", "cost", "budgets"];
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private static Task<HealthCheckResult> CheckAsync(IServiceProvider provider) =>
        provider.GetRequiredService<AnalyticsHubHealthCheck>().CheckHealthAsync(new HealthCheckContext());

    private static async Task<EventItemStatus> IngestOneAsync(IAnalyticsHub hub, int i) =>
        Assert.Single(await (await hub.IngestAsync(Latency(i))).Completion).Status;

    [Fact]
    public async Task Stage_ThatKeepsFailing_OpensItsCircuitIsSkippedProbedAndClosedAndHealthSaysSo()
    {
        var stage = new FlakyStage(failures: 2);
        await using var provider = Build(
            o =>
            {
                o.Ingestion.MaxRetries = 0;
                o.Ingestion.CircuitBreaker = new() { MinimumThroughput = 2, FailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(5) };
            },
            s => s.AddSingleton<IIngestionStage>(stage));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(provider)).Status);

        Assert.Equal(EventItemStatus.Stored, await IngestOneAsync(hub, 1));
        Assert.Equal(EventItemStatus.Stored, await IngestOneAsync(hub, 2));
        Assert.Equal(["flaky"], hub.Statistics.OpenCircuits);
        var open = await CheckAsync(provider);

        Assert.Equal(EventItemStatus.Stored, await IngestOneAsync(hub, 3));
        Assert.Equal(2, stage.Attempts);
        Assert.Equal(1, hub.Statistics.StageSkips["flaky"]);
        Assert.Equal(2, hub.Statistics.StageFailures["flaky"]);

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(EventItemStatus.Stored, await IngestOneAsync(hub, 4));
        Assert.Equal(3, stage.Attempts);
        Assert.Empty(hub.Statistics.OpenCircuits);
        Assert.Equal(4, hub.Statistics.Stored);

        Assert.Equal(HealthStatus.Degraded, open.Status);
        Assert.Contains("flaky", open.Description, StringComparison.Ordinal);
        Assert.Equal(["flaky"], (IReadOnlyList<string>)open.Data["open_circuits"]);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(provider)).Status);
    }

    [Fact]
    public async Task Store_MaxRetries20_EveryWaitWithinTheCapThenTheItemFails()
    {
        using var retries = new RetryDelayLogger();
        var store = new FailingStore();
        await using var provider = Build(
            o =>
            {
                o.Ingestion.MaxRetries = 20;
                o.Ingestion.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
                o.Ingestion.RetryMaxDelay = TimeSpan.FromMilliseconds(2);
            },
            s =>
            {
                s.AddSingleton<IEventStore>(store);
                s.AddLogging(builder => builder.AddProvider(retries));
            },
            TimeProvider.System);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var outcome = Assert.Single(await (await hub.IngestAsync(Latency(10))).Completion);

        Assert.Equal(EventItemStatus.Failed, outcome.Status);
        Assert.Contains("disk on fire", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(21, store.Attempts);
        Assert.Equal(20, retries.Retries.Count);
        Assert.All(retries.Retries, r =>
        {
            Assert.Equal("event_store", r.Step);
            Assert.InRange(r.Delay, TimeSpan.Zero, TimeSpan.FromMilliseconds(2));
        });
    }

    [Fact]
    public async Task Health_StoreFailsBatchesInARow_DegradedThenUnhealthyThenHealthyAfterASuccess()
    {
        var store = new FailingStore();
        await using var provider = Build(o => o.Ingestion.MaxRetries = 0, s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await IngestOneAsync(hub, 20);
        var one = await CheckAsync(provider);
        await IngestOneAsync(hub, 21);
        await IngestOneAsync(hub, 22);
        var three = await CheckAsync(provider);
        store.Heal();
        Assert.Equal(EventItemStatus.Stored, await IngestOneAsync(hub, 23));
        var healed = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Degraded, one.Status);
        Assert.Equal(HealthStatus.Unhealthy, three.Status);
        Assert.Contains("failed 3 batches in a row (System.IO.IOException)", three.Description, StringComparison.Ordinal);
        Assert.Equal(3, three.Data["store_failures_in_a_row"]);
        Assert.Equal(HealthStatus.Healthy, healed.Status);
        Assert.Equal(3, hub.Statistics.Failed);
    }

    [Fact]
    public async Task Health_QueueFillsAndBackpressureRefuses_DegradedThenUnhealthy()
    {
        var store = new HungStore();
        await using var provider = Build(
            o =>
            {
                o.Ingestion.QueueCapacity = 4;
                o.Ingestion.MaxBatchSize = 1;
                o.Ingestion.Backpressure = BackpressureMode.Refuse;
                o.Health.DegradedQueueFill = 0.5;
            },
            s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await hub.IngestAsync(Latency(30));
        await store.Entered.Task;

        await hub.IngestAsync([Latency(31), Latency(32)]);
        var half = await CheckAsync(provider);
        var refused = await hub.IngestAsync([Latency(33), Latency(34), Latency(35)]);
        var full = await CheckAsync(provider);
        var again = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Degraded, half.Status);
        Assert.Contains("50 % full", half.Description, StringComparison.Ordinal);
        Assert.Equal(EventItemStatus.Refused, refused.Items[2].Status);
        Assert.Equal(HealthStatus.Unhealthy, full.Status);
        Assert.Contains("backpressure refused or dropped 1 items since the last check", full.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("backpressure", again.Description, StringComparison.Ordinal);
        store.Release();
    }

    [Fact]
    public async Task Health_NotStartedOrStopped_Unhealthy()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();

        var before = await CheckAsync(provider);
        await hub.StartAsync();
        var running = await CheckAsync(provider);
        await hub.StopAsync();
        var after = await CheckAsync(provider);

        Assert.Equal((HealthStatus.Unhealthy, HealthStatus.Healthy, HealthStatus.Unhealthy), (before.Status, running.Status, after.Status));
        Assert.Contains("not running", before.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_BadResilienceAndHealthThresholds_EveryProblemInOneMessage()
    {
        using var provider = Build(o =>
        {
            o.Ingestion.RetryMaxDelay = TimeSpan.FromMilliseconds(1);
            o.Ingestion.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.Ingestion.MaxRetryTime = TimeSpan.Zero;
            o.Ingestion.CircuitBreaker.FailureRatio = 0;
            o.Ingestion.CircuitBreaker.MinimumThroughput = 1;
            o.Ingestion.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(100);
            o.Ingestion.CircuitBreaker.SamplingDuration = TimeSpan.FromDays(2);
            o.Health.DegradedQueueFill = 1.5;
            o.Health.UnhealthyStoreFailuresInARow = 0;
            o.Health.DegradedBackpressureItems = 0;
            o.Health.OpenCircuitStatus = (HealthStatus)7;
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnalyticsHub>());

        foreach (var name in new[]
        {
            "RetryMaxDelay", "MaxRetryTime", "CircuitBreaker.FailureRatio", "CircuitBreaker.MinimumThroughput", "CircuitBreaker.BreakDuration",
            "CircuitBreaker.SamplingDuration", "Health.DegradedQueueFill", "Health.UnhealthyQueueFill", "Health.UnhealthyStoreFailuresInARow",
            "Health.DegradedBackpressureItems", "Health.OpenCircuitStatus",
        })
        {
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Telemetry_StageDurationHasBucketAdviceAndFailuresCarryErrorType()
    {
        var stage = new FlakyStage(failures: 1);
        await using var provider = Build(o => o.Ingestion.MaxRetries = 0, s => s.AddSingleton<IIngestionStage>(stage));
        var meter = provider.GetRequiredService<HubMeter>().Meter;
        var tags = new List<(string Instrument, Dictionary<string, object?> Tags)>();
        IReadOnlyList<double>? buckets = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                if (instrument is Histogram<double> { Name: "analyticshub.stage.duration" } histogram)
                {
                    buckets = histogram.Advice?.HistogramBucketBoundaries;
                }

                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> measured, object? state)
        {
            lock (tags)
            {
                tags.Add((instrument.Name, measured.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        }

        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.Start();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await IngestOneAsync(hub, 40);
        await hub.IngestAsync(Latency(41) with { Payload = SampleEvents.Latency with { TotalLatencyMs = -1 } });

        // The hub's background work may go on recording (queue and store instruments): read a copy taken under the lock.
        List<(string Instrument, Dictionary<string, object?> Tags)> recorded;
        lock (tags)
        {
            recorded = [.. tags];
        }

        Assert.NotNull(buckets);
        Assert.True(buckets![0] <= 0.0001 && buckets[^1] >= 1, "buckets span sub-millisecond to seconds");
        Assert.Equal(buckets.Order(), buckets);
        var failure = Assert.Single(recorded, t => t.Instrument == "analyticshub.stage.failures");
        Assert.Equal("flaky", failure.Tags["stage"]);
        Assert.Equal("System.InvalidOperationException", failure.Tags["error.type"]);
        Assert.Contains(recorded, t => t.Instrument == "analyticshub.stage.duration" && t.Tags.GetValueOrDefault("error.type") is "System.InvalidOperationException");
        var invalid = Assert.Single(recorded, t => t.Instrument == "analyticshub.ingest.invalid");
        Assert.Equal(ProblemCodes.NegativeValue, invalid.Tags["error.type"]);
        Assert.DoesNotContain(recorded, t => t.Tags.ContainsKey("code") || t.Tags.ContainsKey("reason"));
    }

    [Fact]
    public async Task Telemetry_StoreFails_BatchSpanHasErrorStatusAndTheFailedCounterTheErrorType()
    {
        using var source = new ActivitySource("AnalyticsHub.Tests.HubResilience");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is HubMeter.Name or "AnalyticsHub.Tests.HubResilience",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var provider = Build(o => o.Ingestion.MaxRetries = 0, s => s.AddSingleton<IEventStore>(new FailingStore()));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        ActivityTraceId trace;
        using (var parent = source.StartActivity("test"))
        {
            // The reader loop starts under this activity, so its batch spans are its children and other tests' are not.
            trace = parent!.TraceId;
            await hub.StartAsync();
        }

        await IngestOneAsync(hub, 50);
        await hub.StopAsync();

        Activity batch;
        lock (spans)
        {
            batch = Assert.Single(spans, s => s.TraceId == trace && s.OperationName == "AnalyticsHub.ProcessBatch");
        }

        Assert.Equal(ActivityStatusCode.Error, batch.Status);
        Assert.Equal("System.IO.IOException", batch.GetTagItem("error.type"));
        Assert.Contains(batch.Events, e => e.Name == "exception");
    }
}
