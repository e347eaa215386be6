using Microsoft.Extensions.Hosting;

namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// Ties the bridge to a generic host: registered after the hub's own hosted service, it starts after the hub and stops
/// before it, so the calls queued at shutdown still reach a running hub.
/// </summary>
internal sealed class GenAiTelemetryHostedService(GenAiTelemetryBridge bridge) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => bridge.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => bridge.StopAsync(cancellationToken);
}
