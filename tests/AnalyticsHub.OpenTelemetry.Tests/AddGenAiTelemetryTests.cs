using System.Diagnostics.Metrics;
using AnalyticsHub.Hosting;
using AnalyticsHub.OpenTelemetry.Tests.Fakes;
using AnalyticsHub.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>Registration, options validation, and the instrument names a host exports.</summary>
public sealed class AddGenAiTelemetryTests
{
    [Fact]
    public void AddGenAiTelemetry_Twice_OneBridgeOneHostedServiceAfterTheHubs()
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub().AddGenAiTelemetry().AddGenAiTelemetry(o => o.Environment = "second");

        Assert.Single(services, d => d.ServiceType == typeof(GenAiTelemetryBridge));
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType?.Name).ToList();
        Assert.Equal(["AnalyticsHubHostedService", "GenAiTelemetryHostedService"], hosted);
        using var provider = services.BuildServiceProvider();
        Assert.Equal("second", provider.GetRequiredService<IOptions<GenAiTelemetryOptions>>().Value.Environment);
    }

    [Fact]
    public async Task Dispose_SynchronousContainerDispose_StopsWithoutThrowing()
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub().AddGenAiTelemetry().AddHubSignalSpans();
        var provider = services.BuildServiceProvider();
        var bridge = provider.GetRequiredService<GenAiTelemetryBridge>();
        await bridge.StartAsync();
        await provider.GetRequiredService<HubSignalSpans>().StartAsync();

        provider.Dispose();

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => bridge.StartAsync());
    }

    [Fact]
    public void Resolve_InvalidOptions_EveryProblemInOneMessage()
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub().AddGenAiTelemetry(o =>
        {
            o.Sources.Clear();
            o.SourcePrefixes.Clear();
            o.QueueCapacity = 0;
            o.ErrorRateWindow = TimeSpan.FromMilliseconds(1500);
            o.Environment = " ";
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<GenAiTelemetryBridge>());
        Assert.Contains("Sources and SourcePrefixes are both empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("QueueCapacity must be at least 1; it is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("ErrorRateWindow must be whole seconds", error.Message, StringComparison.Ordinal);
        Assert.Contains("Environment must not be empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyPrefix_Reported()
    {
        var options = new GenAiTelemetryOptions();
        options.SourcePrefixes.Add(string.Empty);

        Assert.Contains(options.Validate(), p => p.Contains("empty prefix", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HubAndBridgeInstruments_AfterTraffic_HubOwnedNamesNeverGenAi()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name is HubMeter.Name or GenAiTelemetryBridge.MeterName)
                {
                    lock (names)
                    {
                        names.Add(instrument.Name);
                    }
                }
            },
        };
        meters.Start();
        using var chat = new ChatClientBuilder(new FakeChatClient()).UseOpenTelemetry(sourceName: source).Build();
        await chat.GetResponseAsync("hi");
        await harness.EventsAsync();

        lock (names)
        {
            Assert.Contains("analyticshub.genai.calls", names);
            Assert.Contains("analyticshub.genai.dropped", names);
            Assert.Contains("analyticshub.ingest.stored", names);
            Assert.All(names, n => Assert.StartsWith("analyticshub.", n, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Ingest_HubNeverStartedAndStopped_EventsCountedNotOffered()
    {
        var source = BridgeHarness.NewSource();
        var services = new ServiceCollection();
        services.AddAnalyticsHub().AddGenAiTelemetry(o =>
        {
            o.Sources.Clear();
            o.SourcePrefixes.Clear();
            o.Sources.Add(source);
        });
        await using var provider = services.BuildServiceProvider();
        var bridge = provider.GetRequiredService<GenAiTelemetryBridge>();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await bridge.StartAsync();
        await hub.StopAsync();
        using var chat = new ChatClientBuilder(new FakeChatClient()).UseOpenTelemetry(sourceName: source).Build();

        var response = await chat.GetResponseAsync("The app's call still works.");
        await bridge.StopAsync();

        Assert.Equal("Paris is the capital of France.", response.Text);
        var stats = bridge.Statistics;
        Assert.Equal(1, stats.Observed);
        Assert.Equal(stats.EventsOffered, stats.EventsRefused + stats.EventsNotOffered);
        Assert.Equal(0, stats.EventsAccepted);
    }
}
