using Microsoft.Extensions.Hosting;

namespace AnalyticsHub.Hosting;

/// <summary>
/// Ties the hub to a generic host's lifetime: registered by <c>AddAnalyticsHub</c>, it starts the hub when the host
/// starts and drains it when the host stops, within the host's shutdown timeout and the hub's own
/// <see cref="Pipeline.IngestionOptions.ShutdownTimeout"/>, whichever ends first.
/// </summary>
/// <remarks>
/// Hosted services start in registration order: a hosted service that ingests from its own <c>StartAsync</c> is
/// registered after <c>AddAnalyticsHub</c>, or calls <see cref="IAnalyticsHub.StartAsync"/> itself (a second start
/// does nothing).
/// </remarks>
internal sealed class AnalyticsHubHostedService(IAnalyticsHub hub) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => hub.StartAsync(cancellationToken);

    /// <summary>Drains the hub; the host's token (its shutdown timeout) cuts the drain short, and the hub then fails what is left.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => hub.StopAsync(timeout: null, cancellationToken);
}
