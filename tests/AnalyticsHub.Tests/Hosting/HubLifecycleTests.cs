using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.Tests.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static AnalyticsHub.Tests.Hosting.HubTestDoubles;

namespace AnalyticsHub.Tests.Hosting;

/// <summary>Starting and stopping the hub: explicit start, the hosted service, and a stop that holds its bound (issue 23).</summary>
public sealed class HubLifecycleTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(SampleEvents.Now);
    private readonly ListLogger _log = new();

    private ServiceProvider Build(Action<AnalyticsHubOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddLogging(builder => builder.AddProvider(_log));
        register?.Invoke(services);
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            o.Ingestion.MaxBatchSize = 1;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Resolve_DoesNotStartTheHub()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();

        Assert.False(hub.IsRunning);
        Assert.DoesNotContain(_log.Entries, e => e.Message.StartsWith("Analytics hub started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IngestAsync_BeforeStart_ThrowsInvalidOperationSayingHowToStart()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        var json = Encoding.UTF8.GetBytes(AnalyticsEventJson.Serialize(Latency(1)));

        var one = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.IngestAsync(Latency(1)).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => hub.IngestAsync([Latency(1)]).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => hub.IngestJsonAsync(json).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => hub.IngestAsync(new MemoryStream(json)).AsTask());

        Assert.Contains("has not been started", one.Message, StringComparison.Ordinal);
        Assert.Contains("StartAsync", one.Message, StringComparison.Ordinal);
        Assert.Equal(0, hub.Statistics.Offered);
    }

    [Fact]
    public async Task StartAsync_Twice_StartsOnceAndIngests()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();

        await hub.StartAsync();
        await hub.StartAsync();

        Assert.True(hub.IsRunning);
        Assert.Single(_log.Entries, e => e.Message.StartsWith("Analytics hub started", StringComparison.Ordinal));
        Assert.Equal(EventItemStatus.Stored, Assert.Single(await (await hub.IngestAsync(Latency(2))).Completion).Status);
    }

    [Fact]
    public async Task StartAsync_AfterStop_ThrowsAndTheHubRefusesEvents()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await hub.StopAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.StartAsync());

        Assert.Contains("cannot be started again", ex.Message, StringComparison.Ordinal);
        Assert.False(hub.IsRunning);
        Assert.Equal(EventItemStatus.Refused, Assert.Single((await hub.IngestAsync(Latency(3))).Items).Status);
    }

    [Fact]
    public async Task StopAsync_NeverStarted_ReturnsZeroAndFlushDoesNotWait()
    {
        await using var provider = Build();
        var hub = provider.GetRequiredService<IAnalyticsHub>();

        await hub.FlushAsync();
        Assert.Equal(0, await hub.StopAsync());
        Assert.Equal(EventItemStatus.Refused, Assert.Single((await hub.IngestAsync(Latency(4))).Items).Status);
    }

    [Fact]
    public async Task HostedService_StartsTheHubWithTheHostAndDrainsItOnStop()
    {
        var stage = new FlakyStage(failures: 0);
        await using var provider = Build(register: s => s.AddSingleton<IIngestionStage>(stage));
        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        var hub = provider.GetRequiredService<IAnalyticsHub>();

        await hosted.StartAsync(CancellationToken.None);
        var result = await hub.IngestAsync([Latency(5), Latency(6), Latency(7)]);
        await hosted.StopAsync(CancellationToken.None);

        Assert.False(hub.IsRunning);
        Assert.All(await result.Completion, r => Assert.Equal(EventItemStatus.Stored, r.Status));
        Assert.Equal(3, stage.Attempts);
    }

    [Fact]
    public void AddAnalyticsHub_Twice_RegistersOneHostedService()
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub();
        services.AddAnalyticsHub();

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public async Task StopAsync_StoreIgnoresCancellationAndNeverReturns_ReturnsAtTheTimeoutAndFailsEveryItemOnceWithAReason()
    {
        var store = new HungStore();
        await using var provider = Build(register: s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var inFlight = await hub.IngestAsync(Latency(10));
        await store.Entered.Task;
        var queued = await hub.IngestAsync([Latency(11), Latency(12)]);

        var stopping = hub.StopAsync(TimeSpan.FromSeconds(1));
        Assert.False(stopping.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var failed = await stopping;

        Assert.Equal(3, failed);
        var held = Assert.Single(await inFlight.Completion);
        Assert.Equal(EventItemStatus.Failed, held.Status);
        Assert.Contains("event store was still writing", held.Reason, StringComparison.Ordinal);
        Assert.All(await queued.Completion, r =>
        {
            Assert.Equal(EventItemStatus.Failed, r.Status);
            Assert.Contains("stopped before this event was processed", r.Reason, StringComparison.Ordinal);
        });
        var stats = hub.Statistics;
        Assert.Equal(3, stats.Failed);
        Assert.Equal(0, stats.InFlight);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Shutdown failed 3 accepted events", StringComparison.Ordinal));
        store.Release();
    }

    [Fact]
    public async Task StopAsync_HungStoreFinishesAfterItsItemsFailed_IsLoggedAndNotCountedAgain()
    {
        var store = new HungStore();
        await using var provider = Build(register: s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var inFlight = await hub.IngestAsync(Latency(20));
        await store.Entered.Task;
        var stopping = hub.StopAsync(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await stopping);

        store.Release();
        await store.Finished.Task;
        Assert.True(SpinWait.SpinUntil(() => _log.Entries.Any(e => e.Message.Contains("after the shutdown had counted them as failed", StringComparison.Ordinal)), TimeSpan.FromSeconds(5)));

        Assert.Equal(EventItemStatus.Failed, Assert.Single(await inFlight.Completion).Status);
        var stats = hub.Statistics;
        Assert.Equal(1, stats.Failed);
        Assert.Equal(0, stats.Stored);
        Assert.Equal(0, stats.InFlight);
        Assert.NotNull(await store.Inner.GetAsync(Latency(20).EventId));
    }

    [Fact]
    public async Task StopAsync_StageIgnoresCancellation_ReturnsAtTheTimeoutAndTheStoredEventCountsAsStored()
    {
        var stage = new HungStage();
        await using var provider = Build(register: s => s.AddSingleton<IIngestionStage>(stage));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var inFlight = await hub.IngestAsync(Latency(30));
        await stage.Entered.Task;
        var queued = await hub.IngestAsync(Latency(31));

        var stopping = hub.StopAsync(TimeSpan.FromSeconds(2));
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, await stopping);
        Assert.Equal(EventItemStatus.Stored, Assert.Single(await inFlight.Completion).Status);
        Assert.Equal(EventItemStatus.Failed, Assert.Single(await queued.Completion).Status);
        Assert.Equal((1, 1, 0L), (hub.Statistics.Stored, hub.Statistics.Failed, hub.Statistics.InFlight));
        Assert.Contains(_log.Entries, e => e.Message.Contains("while stage hung was still running", StringComparison.Ordinal));
        stage.Release();
    }

    [Fact]
    public async Task StopAsync_TokenFires_StopsWaitingBeforeTheTimeout()
    {
        var store = new HungStore();
        await using var provider = Build(register: s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var inFlight = await hub.IngestAsync(Latency(40));
        await store.Entered.Task;
        using var hostShutdown = new CancellationTokenSource();

        var stopping = hub.StopAsync(TimeSpan.FromDays(1), hostShutdown.Token);
        Assert.False(stopping.IsCompleted);
        await hostShutdown.CancelAsync();

        Assert.Equal(1, await stopping);
        Assert.Equal(EventItemStatus.Failed, Assert.Single(await inFlight.Completion).Status);
        store.Release();
    }

    [Fact]
    public async Task StopAsync_CalledTwice_ReturnsTheFirstStopsResult()
    {
        var store = new HungStore();
        await using var provider = Build(register: s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await hub.IngestAsync(Latency(50));
        await store.Entered.Task;

        var first = hub.StopAsync(TimeSpan.FromSeconds(1));
        var second = hub.StopAsync(TimeSpan.FromDays(1));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await first);
        Assert.Equal(1, await second);
        store.Release();
    }

    [Fact]
    public async Task Dispose_Synchronous_DoesNotBlockOnAHungStoreAndFailsWhatIsLeft()
    {
        var store = new HungStore();
        var provider = Build(register: s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        var inFlight = await hub.IngestAsync(Latency(60));
        await store.Entered.Task;
        var queued = await hub.IngestAsync(Latency(61));

        provider.Dispose();

        Assert.Equal(EventItemStatus.Failed, Assert.Single(await inFlight.Completion).Status);
        Assert.Equal(EventItemStatus.Failed, Assert.Single(await queued.Completion).Status);
        Assert.Equal(2, hub.Statistics.Failed);
        store.Release();
    }

    [Fact]
    public async Task FlushAsync_WhileTheStoreHangs_CompletesWhenTheStopGivesUp()
    {
        var store = new HungStore();
        await using var provider = Build(register: s => s.AddSingleton<IEventStore>(store));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await hub.IngestAsync(Latency(70));
        await store.Entered.Task;
        var flush = hub.FlushAsync();

        var stopping = hub.StopAsync(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await stopping;

        await flush.WaitAsync(TimeSpan.FromSeconds(5));
        store.Release();
    }
}
