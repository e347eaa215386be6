using System.Diagnostics;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Samples.GenericHost;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AnalyticsHub.Simulation.Tests.GenericHost;

/// <summary>The generic-host sample: the host starts the hub and stops within its shutdown timeout even when the store hangs (issue 23).</summary>
public sealed class GenericHostSampleTests
{
    private static IHost Build(HungStore store, TimeSpan hubShutdown, TimeSpan hostShutdown)
    {
        var builder = GenericHostSample.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AnalyticsHub:Ingestion:ShutdownTimeout"] = hubShutdown.ToString("c"),
            ["HostOptions:ShutdownTimeout"] = hostShutdown.ToString("c"),
            ["Sample:RunFor"] = "00:00:00",
            ["Sample:EventsPerSecond"] = "100",
        });
        builder.Services.AddSingleton<IEventStore>(store);
        return builder.Build();
    }

    [Fact]
    public async Task Host_StoreHangs_StopsWithinTheHubsShutdownTimeoutAndFailsWhatIsLeft()
    {
        var store = new HungStore();
        using var host = Build(store, hubShutdown: TimeSpan.FromMilliseconds(500), hostShutdown: TimeSpan.FromMinutes(1));
        var hub = host.Services.GetRequiredService<IAnalyticsHub>();
        Assert.False(hub.IsRunning);

        await host.StartAsync();
        Assert.True(hub.IsRunning);
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();
        await host.StopAsync();
        watch.Stop();

        // The drain waits 0.5 s for a store that never returns; "hangs forever" is what this guards against.
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));
        var stats = hub.Statistics;
        Assert.False(hub.IsRunning);
        Assert.True(stats.Accepted > 0);
        Assert.Equal(stats.Accepted, stats.Failed);
        Assert.Equal(0, stats.InFlight);
    }

    [Fact]
    public async Task Host_StoreHangs_TheHostsShutdownTimeoutBoundsALongerHubTimeout()
    {
        var store = new HungStore();
        using var host = Build(store, hubShutdown: TimeSpan.FromHours(1), hostShutdown: TimeSpan.FromMilliseconds(500));
        var hub = host.Services.GetRequiredService<IAnalyticsHub>();

        await host.StartAsync();
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();
        await host.StopAsync();
        watch.Stop();

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(hub.Statistics.Accepted, hub.Statistics.Failed);
    }

    [Fact]
    public void Host_AppSettings_BindToTheHubsOptions()
    {
        using var host = GenericHostSample.CreateBuilder([]).Build();

        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AnalyticsHubOptions>>().Value;

        Assert.Equal(512, options.Ingestion.MaxBatchSize);
        Assert.Equal(5, options.Ingestion.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Ingestion.RetryMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Ingestion.MaxRetryTime);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Ingestion.CircuitBreaker.BreakDuration);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, options.Health.OpenCircuitStatus);
        Assert.Equal(["email", "api_key", "bearer_token", "credit_card"], options.Redaction.BuiltInRules!);
        Assert.Equal(TimeSpan.FromSeconds(15), host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    /// <summary>An event store whose appends never return and ignore their token.</summary>
    private sealed class HungStore : IEventStore, IDisposable
    {
        private readonly InMemoryEventStore _inner = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await new TaskCompletionSource().Task.ConfigureAwait(false);
            throw new UnreachableException();
        }

        public ValueTask<AnalyticsEvent?> GetAsync(Guid eventId, CancellationToken cancellationToken = default) => _inner.GetAsync(eventId, cancellationToken);

        public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(query, cancellationToken);

        public ValueTask<ulong> CountAsync(EventQuery query, CancellationToken cancellationToken = default) => _inner.CountAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<AnalyticsEvent>> GetCorrelatedAsync(Guid correlationId, CancellationToken cancellationToken = default) =>
            _inner.GetCorrelatedAsync(correlationId, cancellationToken);

        public ValueTask<IReadOnlyList<AnalyticsEvent>> GetChildrenAsync(Guid parentEventId, CancellationToken cancellationToken = default) =>
            _inner.GetChildrenAsync(parentEventId, cancellationToken);

        public IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null) => _inner.Subscribe(filter, resumeAfterSequence);

        public void Dispose() => _inner.Dispose();
    }
}
