using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static AnalyticsHub.Tests.Hosting.HubTestDoubles;

namespace AnalyticsHub.Tests.Hosting;

/// <summary>Faults and hostile input through the hub: lost acknowledgements, poison events, options, limits (issue 37).</summary>
public sealed class HubReliabilityTests
{
    private readonly FakeTimeProvider _clock = new(SampleEvents.Now);

    private ServiceProvider Build(Action<AnalyticsHubOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        register?.Invoke(services);
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            o.DisabledStages = ["time_series", "metrics", "anomalies", "cost", "budgets"];
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Ingest_StoreCommitsThenLosesTheAcknowledgement_EveryEventReachesEveryStageOnce()
    {
        var store = new LostAckStore(every: 3);
        var stage = new CountingStage();
        await using var provider = Build(o => o.Ingestion.MaxBatchSize = 50, s =>
        {
            s.AddSingleton<IEventStore>(store);
            s.AddSingleton<IIngestionStage>(stage);
        });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var events = Enumerable.Range(1, 600).Select(Latency).ToArray();

        for (var i = 0; i < events.Length; i += 50)
        {
            var result = await hub.IngestAsync(events[i..(i + 50)]);
            Assert.All(await result.Completion, item => Assert.Equal(EventItemStatus.Stored, item.Status));
        }

        await hub.FlushAsync();
        Assert.True(store.LostAcks >= 3);
        Assert.Equal(events.Length, stage.Seen.Count);
        Assert.All(stage.Seen.Values, count => Assert.Equal(1, count));
        var statistics = hub.Statistics;
        Assert.Equal((600L, 0L, 0L), (statistics.Stored, statistics.Duplicates, statistics.Failed));
    }

    [Fact]
    public async Task Ingest_OnePoisonEventInABatch_IsolatesItAndStoresTheRestWithoutRetrying()
    {
        var store = new PoisonStore(new HashSet<string> { "r37" });
        var stage = new CountingStage();
        await using var provider = Build(
            o =>
            {
                o.Ingestion.MaxBatchSize = 128;
                o.Ingestion.MaxBatchDelay = TimeSpan.FromSeconds(1);
            },
            s =>
            {
                s.AddSingleton<IEventStore>(store);
                s.AddSingleton<IIngestionStage>(stage);
            });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var events = Enumerable.Range(0, 100).Select(Latency).ToArray();

        // The batch waits (on the fake clock) for more events, so all 100 go to the store as one batch.
        var result = await hub.IngestAsync(events);
        while (!result.Completion.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        var completion = await result.Completion;
        var failed = Assert.Single(completion, item => item.Status == EventItemStatus.Failed);
        Assert.Equal(37, failed.Index);
        Assert.Contains("r37", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(99, completion.Count(item => item.Status == EventItemStatus.Stored));
        Assert.Equal(99, stage.Seen.Count);
        Assert.Equal((99L, 1L), (hub.Statistics.Stored, hub.Statistics.Failed));
        Assert.Equal(0, hub.Statistics.StoreFailuresInARow);

        // Halving to one event: at most 2 log2(n) + 1 calls, none of them a retry of a permanent error.
        Assert.InRange(store.Calls, 2, (2 * (int)Math.Ceiling(Math.Log2(100))) + 1);
    }

    [Fact]
    public async Task Ingest_CustomEventsWithThousandsOfNumericKeys_PointsRefusedAndCountedEventsStored()
    {
        await using var provider = Build(o => o.DisabledStages = ["metrics", "anomalies", "cost", "budgets"]);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var events = Enumerable.Range(0, 5).Select(i =>
        {
            var data = "{" + string.Join(",", Enumerable.Range(0, 1_000).Select(k => $"\"k{i}_{k}\":{k}")) + "}";
            var evt = SampleEvents.Event(new CustomPayload { CustomType = "wide", Data = System.Text.Json.JsonDocument.Parse(data).RootElement });
            return evt with { Common = evt.Common with { EventId = new Guid(i + 1, 3, 7, 0, 0, 0, 0, 0, 0, 0, 1) } };
        }).ToArray();

        var completion = await (await hub.IngestAsync(events)).Completion;
        await hub.FlushAsync();

        Assert.All(completion, item => Assert.Equal(EventItemStatus.Stored, item.Status));
        Assert.Equal(5, hub.Statistics.RejectedPoints);
        Assert.Empty(await hub.TimeSeries.DescribeSeriesAsync());
    }

    [Fact]
    public void Options_TimeSpansAndSizesOutOfRange_AreListedInOneMessage()
    {
        var options = new AnalyticsHubOptions
        {
            Validation = new EventValidationOptions { MaxFutureSkew = TimeSpan.MaxValue, MaxBatchItems = 0 },
            RetentionInterval = TimeSpan.MaxValue,
        };
        options.Ingestion.WaitTimeout = TimeSpan.MaxValue;
        options.Ingestion.ShutdownTimeout = TimeSpan.MaxValue;
        options.Ingestion.MaxBatchDelay = TimeSpan.FromDays(2);
        options.Ingestion.QueueCapacity = int.MaxValue;

        var problems = string.Join("\n", options.Validate());

        foreach (var name in new[] { "MaxFutureSkew", "MaxBatchItems", "RetentionInterval", "WaitTimeout", "ShutdownTimeout", "MaxBatchDelay", "QueueCapacity" })
        {
            Assert.Contains(name, problems, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_LargestSkewWithAClockAtTheEndOfTime_DoesNotOverflow()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.MaxValue - TimeSpan.FromDays(1));
        var validator = new EventValidator(new EventValidationOptions { MaxFutureSkew = EventValidationOptions.MaxFutureSkewLimit }, clock);

        Assert.DoesNotContain(validator.Validate(SampleEvents.Event(SampleEvents.Latency)), p => p.Code == ProblemCodes.TimestampInFuture);
    }

    [Fact]
    public async Task IngestJson_MoreLinesThanTheItemLimit_RefusesTheRestWithACodeAndCountsIt()
    {
        await using var provider = Build(o => o.Validation = new EventValidationOptions { MaxBatchItems = 10 });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var ndjson = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{}\n", 1_000)));

        var result = await hub.IngestJsonAsync(ndjson);

        Assert.Equal(11, result.Items.Count);
        var refused = result.Items[^1];
        var problem = Assert.Single(refused.Problems);
        Assert.Equal((ProblemCodes.TooManyItems, "$[10]", 11L), (problem.Code, problem.Path, refused.LineNumber));
        Assert.Equal(11, hub.Statistics.Offered);
        Assert.Equal(1, hub.Statistics.InvalidByCode[ProblemCodes.TooManyItems]);
    }

    [Fact]
    public async Task IngestStream_MoreItemsThanTheLimit_StopsReadingTheStream()
    {
        await using var provider = Build(o => o.Validation = new EventValidationOptions { MaxBatchItems = 5 });
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var text = "[" + string.Join(",", Enumerable.Repeat("{}", 100_000)) + "]";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var result = await hub.IngestAsync(stream);

        Assert.Equal(6, result.Items.Count);
        Assert.Equal(ProblemCodes.TooManyItems, Assert.Single(result.Items[5].Problems).Code);
        Assert.True(stream.Position < stream.Length / 2, $"read {stream.Position} of {stream.Length} bytes");
    }

    [Fact]
    public async Task Statistics_ReadWhileProducersIngest_AreAlwaysOneConsistentSnapshot()
    {
        var stage = new CountingStage();
        await using var provider = Build(o => o.Ingestion.MaxBatchSize = 16, s => s.AddSingleton<IIngestionStage>(stage));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        using var stop = new CancellationTokenSource();
        var bad = new List<IngestionStatistics>();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var s = hub.Statistics;
                if (s.InFlight < 0 || s.Offered < s.Invalid + s.Refused + s.Dropped + s.Accepted)
                {
                    bad.Add(s);
                }
            }
        });

        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < 1_500; i++)
            {
                await hub.IngestAsync(Latency((p * 10_000) + i));
            }
        })).ToArray();
        await Task.WhenAll(producers);
        await hub.FlushAsync();
        await stop.CancelAsync();
        await reader;

        Assert.Empty(bad);
        Assert.Equal(6_000, hub.Statistics.Stored);
        Assert.Equal(0, hub.Statistics.InFlight);
    }
}
