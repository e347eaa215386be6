using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>A started hub with the bridge on it, listening to the given sources only (tests run side by side).</summary>
internal sealed class BridgeHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private BridgeHarness(ServiceProvider provider, FakeTimeProvider clock)
    {
        _provider = provider;
        Clock = clock;
        Hub = provider.GetRequiredService<IAnalyticsHub>();
        Bridge = provider.GetRequiredService<GenAiTelemetryBridge>();
    }

    public FakeTimeProvider Clock { get; }

    public IAnalyticsHub Hub { get; }

    public GenAiTelemetryBridge Bridge { get; }

    public IServiceProvider Services => _provider;

    /// <summary>A unique source name for one test's emitter.</summary>
    public static string NewSource() => "Tests.GenAi." + Guid.NewGuid().ToString("N");

    /// <summary>Starts a hub and a bridge listening to <paramref name="sources"/> (exact names) only.</summary>
    public static Task<BridgeHarness> StartAsync(string[] sources, Action<GenAiTelemetryOptions>? configure = null, Action<IServiceCollection>? configureServices = null) =>
        StartAsync(options =>
        {
            options.Sources.Clear();
            options.SourcePrefixes.Clear();
            foreach (var source in sources)
            {
                options.Sources.Add(source);
            }

            configure?.Invoke(options);
        }, configureServices);

    /// <summary>Starts a hub and a bridge configured by <paramref name="configure"/> alone (default sources unless it changes them).</summary>
    public static async Task<BridgeHarness> StartAsync(Action<GenAiTelemetryOptions> configure, Action<IServiceCollection>? configureServices = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAnalyticsHub().AddGenAiTelemetry(configure);
        configureServices?.Invoke(services);
        var provider = services.BuildServiceProvider();
        var harness = new BridgeHarness(provider, clock);
        await harness.Bridge.StartAsync();
        return harness;
    }

    /// <summary>Every stored event, oldest first, after the bridge handed over what it holds.</summary>
    public async Task<IReadOnlyList<AnalyticsEvent>> EventsAsync()
    {
        await Bridge.FlushAsync();
        return await StoredAsync();
    }

    /// <summary>Stops the bridge (emitting its open error-rate windows), then returns every stored event.</summary>
    public async Task<IReadOnlyList<AnalyticsEvent>> StopBridgeAsync()
    {
        await Bridge.StopAsync();
        await Hub.FlushAsync();
        return await StoredAsync();
    }

    /// <summary>Disposes the container, which stops the bridge before the hub (it was made after it).</summary>
    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private async Task<IReadOnlyList<AnalyticsEvent>> StoredAsync()
    {
        var page = await Hub.QueryEventsAsync(new EventQuery { PerPage = PaginationParams.MaxPerPage, Order = SortOrder.Asc });
        Assert.False(page.HasMore);
        return page.Events;
    }
}

/// <summary>Finds one event of a payload type, failing with what was there.</summary>
internal static class EventListExtensions
{
    public static (AnalyticsEvent Event, T Payload) Single<T>(this IReadOnlyList<AnalyticsEvent> events, Func<AnalyticsEvent, bool>? where = null)
        where T : EventPayload
    {
        var matches = events.Where(e => e.Payload is T && (where is null || where(e))).ToList();
        Assert.True(matches.Count == 1, $"expected one {typeof(T).Name}, found {matches.Count} among: {string.Join(", ", events.Select(e => e.Payload.Subtype))}");
        return (matches[0], (T)matches[0].Payload);
    }

    public static int CountOf<T>(this IReadOnlyList<AnalyticsEvent> events)
        where T : EventPayload => events.Count(e => e.Payload is T);
}
