using AnalyticsHub.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.Samples.GenericHost;

/// <summary>Logs the host's health report (the hub's check among them) and the hub's accounting at an interval.</summary>
internal sealed partial class HealthReporter(HealthCheckService health, IAnalyticsHub hub, IOptions<SampleOptions> options, ILogger<HealthReporter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticks = new PeriodicTimer(options.Value.HealthInterval);
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken))
            {
                var report = await health.CheckHealthAsync(stoppingToken);
                var entry = report.Entries["analyticshub"];
                var stats = hub.Statistics;
                Health(logger, entry.Status, entry.Description ?? "", stats.Stored, stats.Failed, stats.QueueDepth);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health {Status}: {Description} Stored {Stored}, failed {Failed}, queued {Queued}.")]
    private static partial void Health(ILogger logger, HealthStatus status, string description, long stored, long failed, int queued);
}
