using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AnalyticsHub.Samples.GenericHost;

/// <summary>
/// The hub in a generic host: options bound from <c>appsettings.json</c> (section <c>AnalyticsHub</c>), the hub
/// started and drained with the host by the hosted service <c>AddAnalyticsHub</c> registers, its health check in the
/// host's health checks, a producer that ingests simulated traffic, and a reporter that logs the hub's health.
/// </summary>
public static class GenericHostSample
{
    /// <summary>Builds the sample's host builder; tests add to its services and configuration before <c>Build()</c>.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // The host's own shutdown timeout bounds the hub's drain too: keep it at least Ingestion:ShutdownTimeout.
        builder.Services.Configure<HostOptions>(builder.Configuration.GetSection("HostOptions"));
        builder.Services.Configure<SampleOptions>(builder.Configuration.GetSection("Sample"));

        // Registers the hub, its hosted service (start with the host, drain on shutdown) and its health check.
        builder.Services.AddAnalyticsHub(builder.Configuration.GetSection("AnalyticsHub"));
        builder.Services.AddHealthChecks().AddCheck<AnalyticsHub.Hosting.AnalyticsHubHealthCheck>("analyticshub");

        // Registered after AddAnalyticsHub: hosted services start in order and stop in reverse, so the producer
        // starts after the hub and stops before the hub drains.
        builder.Services.AddHostedService<TrafficProducer>();
        builder.Services.AddHostedService<HealthReporter>();
        return builder;
    }
}
