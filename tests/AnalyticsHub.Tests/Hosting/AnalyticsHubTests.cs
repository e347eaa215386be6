using System.Collections.Concurrent;
using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Redaction;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static AnalyticsHub.Tests.Hosting.HubTestDoubles;

namespace AnalyticsHub.Tests.Hosting;

public class AnalyticsHubTests
{
    private static ServiceProvider Build(Action<AnalyticsHubOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services?.Invoke(collection);
        collection.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        return collection.BuildServiceProvider();
    }

    private static AnalyticsEvent Latency(int i) => SampleEvents.Event(SampleEvents.Latency with { RequestId = "r" + i }) with
    {
        Common = SampleEvents.Event(SampleEvents.Latency).Common with { EventId = new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) },
    };

    [Fact]
    public async Task IngestAsync_ValidEvent_IsStoredAndQueryable()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var result = await hub.IngestAsync(Latency(1));
        Assert.Equal(EventItemStatus.Accepted, Assert.Single(result.Items).Status);
        var final = await result.Completion;

        Assert.Equal(EventItemStatus.Stored, Assert.Single(final).Status);
        Assert.NotNull(await hub.Events.GetAsync(Latency(1).EventId));
        var page = await hub.QueryEventsAsync(new EventQuery { SourceModules = [SourceModule.LlmObservatory] });
        Assert.Single(page.Events);
    }

    [Fact]
    public async Task IngestAsync_InvalidEvent_IsReportedAndNothingIsStored()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var bad = Latency(2) with { Payload = SampleEvents.Latency with { TotalLatencyMs = -1 } };

        var result = await hub.IngestAsync([bad, Latency(3)]);
        var final = await result.Completion;

        Assert.Equal(EventItemStatus.Invalid, final[0].Status);
        Assert.Equal(ProblemCodes.NegativeValue, Assert.Single(final[0].Problems).Code);
        Assert.Equal(EventItemStatus.Stored, final[1].Status);
        Assert.Null(await hub.Events.GetAsync(bad.EventId));
        Assert.Equal(1, hub.Statistics.InvalidByCode[ProblemCodes.NegativeValue]);
    }

    [Fact]
    public async Task IngestAsync_SameEventTwice_SecondIsDuplicateAndReachesNoStage()
    {
        var stage = new RecordingStage();
        await using var provider = Build(services: s => s.AddSingleton<IIngestionStage>(stage));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await (await hub.IngestAsync(Latency(4))).Completion;
        var second = await (await hub.IngestAsync(Latency(4))).Completion;

        Assert.Equal(EventItemStatus.Duplicate, Assert.Single(second).Status);
        Assert.Single(stage.Seen);
        Assert.Equal(1, hub.Statistics.Duplicates);
    }

    [Fact]
    public async Task IngestJsonAsync_NdjsonWithBadLine_StoresTheGoodOnes()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var ndjson = AnalyticsEventJson.Serialize(Latency(5)) + "\nnot json\n" + AnalyticsEventJson.Serialize(Latency(6)) + "\n";

        var final = await (await hub.IngestJsonAsync(Encoding.UTF8.GetBytes(ndjson))).Completion;

        Assert.Equal([EventItemStatus.Stored, EventItemStatus.Invalid, EventItemStatus.Stored], final.Select(r => r.Status));
        Assert.Equal(2L, final[1].LineNumber);
    }

    [Fact]
    public async Task IngestAsync_Stream_IngestsEachItemWithoutHoldingEvents()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var ndjson = string.Join("\n", Enumerable.Range(10, 50).Select(i => AnalyticsEventJson.Serialize(Latency(i))));

        var result = await hub.IngestAsync(new MemoryStream(Encoding.UTF8.GetBytes(ndjson)));
        var final = await result.Completion;

        Assert.Equal(50, final.Count);
        Assert.All(final, r => Assert.Equal(EventItemStatus.Stored, r.Status));
        Assert.All(result.Items, r => Assert.Null(r.Event));
    }

    [Fact]
    public async Task IngestAsync_EmailInTag_IsRedactedBeforeStoreAndStream()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await using var subscription = hub.Subscribe(new EventQuery());
        var evt = Latency(7) with { Common = Latency(7).Common with { Tags = new Dictionary<string, string> { ["user"] = "jane@example.com" } } };

        await (await hub.IngestAsync(evt)).Completion;

        var stored = await hub.Events.GetAsync(evt.EventId);
        Assert.Equal("[REDACTED:email]", stored!.Common.Tags["user"]);
        await using var frames = subscription.GetAsyncEnumerator();
        while (await frames.MoveNextAsync())
        {
            if (frames.Current.Data is { } streamed)
            {
                Assert.Equal("[REDACTED:email]", streamed.Common.Tags["user"]);
                break;
            }
        }

        Assert.Equal(1, hub.Statistics.Redactions["email"]);
    }

    [Fact]
    public async Task Stage_ThatThrows_IsRetriedThenReportedAndEventsStayStored()
    {
        var flaky = new ThrowingStage(failures: 10);
        var after = new RecordingStage();
        await using var provider = Build(o => o.Ingestion.MaxRetries = 2, s =>
        {
            s.AddSingleton<IIngestionStage>(flaky);
            s.AddSingleton<IIngestionStage>(after);
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var final = await (await hub.IngestAsync(Latency(8))).Completion;

        Assert.Equal(EventItemStatus.Stored, Assert.Single(final).Status);
        Assert.Equal(3, flaky.Attempts);
        Assert.Single(after.Seen);
        Assert.Equal(1, hub.Statistics.StageFailures["throwing"]);
    }

    [Fact]
    public async Task Stage_ThatRecovers_SucceedsOnRetry()
    {
        var flaky = new ThrowingStage(failures: 1);
        await using var provider = Build(services: s => s.AddSingleton<IIngestionStage>(flaky));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await (await hub.IngestAsync(Latency(9))).Completion;

        Assert.Equal(2, flaky.Attempts);
        Assert.Empty(hub.Statistics.StageFailures);
    }

    [Fact]
    public async Task Stage_DerivedEvents_AreStoredAndSeenByStages()
    {
        var deriving = new DerivingStage();
        await using var provider = Build(services: s => s.AddSingleton<IIngestionStage>(deriving));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await (await hub.IngestAsync(Latency(11))).Completion;
        await hub.FlushAsync();

        Assert.Equal(2, deriving.Seen.Count);
        var derived = deriving.Seen[1];
        Assert.Equal(SourceModule.LlmAnalyticsHub, derived.SourceModule);
        Assert.NotNull(await hub.Events.GetAsync(derived.EventId));
        Assert.Equal(1, hub.Statistics.Derived);
        Assert.Equal(1, hub.Statistics.Stored);
    }

    [Fact]
    public async Task StoreThatFails_ItemsEndFailedWithReason()
    {
        await using var provider = Build(o => o.Ingestion.MaxRetries = 1, s => s.AddSingleton<IEventStore>(new FailingStore()));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        var final = await (await hub.IngestAsync(Latency(12))).Completion;

        Assert.Equal(EventItemStatus.Failed, Assert.Single(final).Status);
        Assert.Contains("disk on fire", final[0].Reason, StringComparison.Ordinal);
        Assert.Equal(1, hub.Statistics.Failed);
    }

    [Theory]
    [InlineData(BackpressureMode.Wait)]
    [InlineData(BackpressureMode.DropNewest)]
    [InlineData(BackpressureMode.Refuse)]
    public async Task IngestAsync_EightConcurrentProducers_AccountingIsExact(BackpressureMode mode)
    {
        const int Producers = 8, PerProducer = 100_000, Chunk = 500;
        await using var provider = Build(o =>
        {
            o.Ingestion.Backpressure = mode;
            o.Ingestion.QueueCapacity = 4_096;
            o.Ingestion.WaitTimeout = TimeSpan.FromMinutes(5);
            o.Redaction.Enabled = false;
            o.DisabledStages = ["time_series"];
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var template = SampleEvents.Event(SampleEvents.Latency);
        var outcomes = new ConcurrentDictionary<EventItemStatus, int>();

        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (var start = 0; start < PerProducer; start += Chunk)
            {
                var batch = new AnalyticsEvent[Chunk];
                for (var i = 0; i < Chunk; i++)
                {
                    // Every 50th event repeats an earlier id, so duplicates are part of the count.
                    var n = (p * PerProducer) + start + i;
                    var id = n % 50 == 49 ? n - 1 : n;
                    batch[i] = template with { Common = template.Common with { EventId = new Guid(id, 0, 0, new byte[8]) } };
                }

                foreach (var item in await (await hub.IngestAsync(batch)).Completion)
                {
                    outcomes.AddOrUpdate(item.Status, 1, (_, c) => c + 1);
                }
            }
        })));
        await hub.FlushAsync();

        var stats = hub.Statistics;
        Assert.Equal(Producers * PerProducer, stats.Offered);
        Assert.Equal(0, stats.Invalid);
        Assert.True(stats.Stored > 0);
        Assert.Equal(stats.Offered, stats.Invalid + stats.Refused + stats.Dropped + stats.Accepted);
        Assert.Equal(stats.Accepted, stats.Stored + stats.Duplicates + stats.Failed);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(stats.Stored, outcomes.GetValueOrDefault(EventItemStatus.Stored));
        Assert.Equal(stats.Duplicates, outcomes.GetValueOrDefault(EventItemStatus.Duplicate));
        Assert.Equal(stats.Refused, outcomes.GetValueOrDefault(EventItemStatus.Refused));
        Assert.Equal(stats.Dropped, outcomes.GetValueOrDefault(EventItemStatus.Dropped));
        Assert.Equal((ulong)stats.Stored, await hub.Events.CountAsync(new EventQuery()));
        if (mode == BackpressureMode.Wait)
        {
            Assert.Equal(0, stats.Refused + stats.Dropped);
            Assert.Equal(Producers * PerProducer / 50, stats.Duplicates);
        }
    }

    [Fact]
    public async Task StopAsync_DrainsTheQueueBeforeReturning()
    {
        var slow = new RecordingStage();
        await using var provider = Build(o => o.Ingestion.MaxBatchSize = 10, s => s.AddSingleton<IIngestionStage>(slow));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var results = new List<IngestResult>();
        for (var i = 0; i < 100; i++)
        {
            results.Add(await hub.IngestAsync(Latency(100 + i)));
        }

        var unfinished = await hub.StopAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, unfinished);
        Assert.Equal(100, slow.Seen.Count);
        foreach (var result in results)
        {
            Assert.Equal(EventItemStatus.Stored, Assert.Single(await result.Completion).Status);
        }

        var late = await hub.IngestAsync(Latency(999));
        Assert.Equal(EventItemStatus.Refused, Assert.Single(late.Items).Status);
    }

    [Fact]
    public async Task StopAsync_WhenTheDrainTimesOut_FailsWhatIsLeftWithAReason()
    {
        var gate = new BlockingStage();
        var clock = new FakeTimeProvider(SampleEvents.Now);
        // The stage step's own time limit must lie beyond the stop's deadline: both run on this clock, and a limit that
        // fired in the same advance would free the loop to take the second event before the stop fails it.
        await using var provider = Build(
            o =>
            {
                o.Ingestion.MaxBatchSize = 1;
                o.Ingestion.MaxRetryTime = TimeSpan.FromMinutes(5);
            },
            s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                s.AddSingleton<IIngestionStage>(gate);
            });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var first = await hub.IngestAsync(Latency(300));
        await gate.Entered.Task;
        var second = await hub.IngestAsync(Latency(301));

        var stopping = hub.StopAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(11));
        var unfinished = await stopping;

        Assert.Equal(1, unfinished);
        var outcome = Assert.Single(await second.Completion);
        Assert.Equal(EventItemStatus.Failed, outcome.Status);
        Assert.Contains("stopped", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(EventItemStatus.Stored, Assert.Single(await first.Completion).Status);
    }

    [Fact]
    public async Task IngestAsync_StoredEvents_BecomeTimeSeriesPoints()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var events = Enumerable.Range(0, 20).Select(i => Latency(400 + i) with { Payload = SampleEvents.Latency with { TotalLatencyMs = i * 10 } }).ToArray();

        await (await hub.IngestAsync(events)).Completion;
        var result = await hub.QueryTimeSeriesAsync(new TimeSeriesQuery
        {
            Measurement = "llm_latency",
            TimeRange = new TimeRange(SampleEvents.Now.AddHours(-1), SampleEvents.Now),
            Aggregations =
            [
                new Aggregation { Function = AggregationFunction.Count, Fields = ["latency_ms"] },
                new Aggregation { Function = AggregationFunction.ForPercentile(95), Fields = ["latency_ms"] },
            ],
            GroupBy = ["model_id"],
        });

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Message)));
        var point = Assert.Single(Assert.Single(result.Result!.Series).Points);
        Assert.Equal("gpt-4o", result.Result.Series[0].Tags["model_id"]);
        Assert.True(point.Values.Values.Any(v => v is { } f && f.TryGetDouble(out var n) && n == 20), "count 20");
        Assert.True(point.Values.Values.Any(v => v is { } f && f.TryGetDouble(out var n) && Math.Abs(n - 180.5) < 1e-9), "p95 = 180.5 (R-7 over 0..190)");
    }

    [Fact]
    public async Task DisabledStages_LeaveTheStageOut()
    {
        var recording = new RecordingStage();
        await using var provider = Build(o => o.DisabledStages = ["time_series", "recording"], s => s.AddSingleton<IIngestionStage>(recording));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await (await hub.IngestAsync(Latency(500))).Completion;

        Assert.Empty(recording.Seen);
        Assert.Empty(await hub.TimeSeries.DescribeSeriesAsync());
        Assert.NotNull(await hub.Events.GetAsync(Latency(500).EventId));
    }

    [Fact]
    public void AddAnalyticsHub_Twice_RegistersOneHub()
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub();
        services.AddAnalyticsHub(o => o.Ingestion.MaxBatchSize = 7);
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IAnalyticsHub));
        Assert.Same(provider.GetRequiredService<IAnalyticsHub>(), provider.GetRequiredService<IAnalyticsHub>());
        Assert.Equal(7, provider.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Ingestion.MaxBatchSize);
    }

    [Fact]
    public async Task AddAnalyticsHub_HostStoreRegisteredFirst_ReplacesTheInMemoryStore()
    {
        var store = new InMemoryEventStore();
        await using var provider = Build(services: s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();

        await (await hub.IngestAsync(Latency(13))).Completion;

        Assert.Same(store, hub.Events);
        Assert.NotNull(await store.GetAsync(Latency(13).EventId));
    }

    [Fact]
    public void AddAnalyticsHub_InvalidOptions_FailWithEveryProblemInOneMessage()
    {
        using var provider = Build(o =>
        {
            o.Ingestion.QueueCapacity = 0;
            o.Ingestion.MaxBatchSize = -1;
            o.Validation = new EventValidationOptions { MaxTags = -2 };
            o.Redaction.BuiltInRules = ["email", "passport"];
            o.Redaction.Rules.Add(new RedactionRuleOptions { Name = "bad", Pattern = "(" });
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnalyticsHub>());

        Assert.Contains("QueueCapacity", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBatchSize", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTags", ex.Message, StringComparison.Ordinal);
        Assert.Contains("passport", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Redaction.Rules[0].Pattern", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAnalyticsHub_FromConfiguration_BindsOptions()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ingestion:MaxBatchSize"] = "64",
                ["Ingestion:Backpressure"] = "Refuse",
                ["Redaction:BuiltInRules:0"] = "ip_address",
                ["Redaction:Rules:0:Name"] = "customer",
                ["Redaction:Rules:0:Paths:0"] = "tags.customer",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddAnalyticsHub(configuration);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value;
        Assert.Equal(64, options.Ingestion.MaxBatchSize);
        Assert.Equal(BackpressureMode.Refuse, options.Ingestion.Backpressure);
        Assert.Equal(["ip_address"], options.Redaction.BuiltInRules!);

        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var evt = Latency(14) with { Common = Latency(14).Common with { Tags = new Dictionary<string, string> { ["customer"] = "ACME" } } };
        Assert.Equal(EventItemStatus.Stored, Assert.Single(await (await hub.IngestAsync(evt)).Completion).Status);
        Assert.Equal("[REDACTED:customer]", (await hub.Events.GetAsync(evt.EventId))!.Common.Tags["customer"]);
    }

    private sealed class RecordingStage : IIngestionStage
    {
        public List<AnalyticsEvent> Seen { get; } = [];

        public string Name => "recording";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            Seen.AddRange(batch.Events);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingStage(int failures) : IIngestionStage
    {
        public int Attempts { get; private set; }

        public string Name => "throwing";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            Attempts++;
            return Attempts <= failures ? throw new InvalidOperationException("boom") : ValueTask.CompletedTask;
        }
    }

    private sealed class DerivingStage : IIngestionStage
    {
        public List<AnalyticsEvent> Seen { get; } = [];

        public string Name => "deriving";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            foreach (var evt in batch.Events)
            {
                Seen.Add(evt);
                if (evt.SourceModule != SourceModule.LlmAnalyticsHub)
                {
                    batch.Emit(new AnalyticsEventFactory(SourceModule.LlmAnalyticsHub, "production", new FakeTimeProvider(SampleEvents.Now))
                        .Create(new CustomPayload { CustomType = "note" }, eventType: EventType.Audit, parentEventId: evt.EventId));
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class BlockingStage : IIngestionStage
    {
        private readonly TaskCompletionSource _release = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "blocking";

        public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }
    }
}
