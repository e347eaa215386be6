using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.Hosting;

/// <summary>
/// The hub's health for a host's health checks: unhealthy while the hub is not running (not started, or stopped), when the queue is full or
/// the event store keeps failing; degraded when the queue fills up, backpressure refused or dropped items since the
/// last check, a stage's circuit is open, or a store write failed. Thresholds in <see cref="AnalyticsHubHealthOptions"/>.
/// </summary>
/// <remarks>
/// <c>AddAnalyticsHub</c> registers it in the container; add it to the host's checks with
/// <c>services.AddHealthChecks().AddCheck&lt;AnalyticsHubHealthCheck&gt;("analyticshub")</c>. The result's data
/// holds the figures it judged (<c>queue_depth</c>, <c>queue_capacity</c>, <c>backpressure_items</c>,
/// <c>open_circuits</c>, <c>store_failures_in_a_row</c>, <c>last_store_error</c>). Thread-safe; it keeps the
/// backpressure count of the previous check.
/// </remarks>
public sealed class AnalyticsHubHealthCheck : IHealthCheck
{
    private readonly IAnalyticsHub _hub;
    private readonly AnalyticsHubHealthOptions _options;
    private readonly int _queueCapacity;
    private long _lastBackpressure;

    /// <summary>Creates the check of <paramref name="hub"/> with the thresholds and queue capacity of <paramref name="options"/>.</summary>
    public AnalyticsHubHealthCheck(IAnalyticsHub hub, IOptions<AnalyticsHubOptions> options)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        _options = options.Value.Health;
        _queueCapacity = options.Value.Ingestion.QueueCapacity;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        var stats = _hub.Statistics;
        var backpressure = stats.Refused + stats.Dropped;
        var sinceLast = backpressure - Interlocked.Exchange(ref _lastBackpressure, backpressure);
        var fill = stats.QueueDepth / (double)_queueCapacity;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["queue_depth"] = stats.QueueDepth,
            ["queue_capacity"] = _queueCapacity,
            ["backpressure_items"] = sinceLast,
            ["open_circuits"] = stats.OpenCircuits,
            ["store_failures_in_a_row"] = stats.StoreFailuresInARow,
        };
        if (stats.LastStoreError is { } lastError)
        {
            data["last_store_error"] = lastError;
        }

        var status = HealthStatus.Healthy;
        var reasons = new List<string>();
        void Report(HealthStatus worst, string reason)
        {
            status = worst < status ? worst : status;
            reasons.Add(reason);
        }

        if (!_hub.IsRunning)
        {
            Report(HealthStatus.Unhealthy, "the hub is not running (not started yet, or stopped)");
        }

        if (fill >= _options.UnhealthyQueueFill)
        {
            Report(HealthStatus.Unhealthy, Format($"the queue is {fill:P0} full ({stats.QueueDepth} of {_queueCapacity})"));
        }
        else if (fill >= _options.DegradedQueueFill)
        {
            Report(HealthStatus.Degraded, Format($"the queue is {fill:P0} full ({stats.QueueDepth} of {_queueCapacity})"));
        }

        if (sinceLast >= _options.DegradedBackpressureItems)
        {
            Report(HealthStatus.Degraded, Format($"backpressure refused or dropped {sinceLast} items since the last check"));
        }

        if (stats.OpenCircuits.Count > 0)
        {
            Report(_options.OpenCircuitStatus, "the circuit is open for stage(s) " + string.Join(", ", stats.OpenCircuits) + " (skipped; events are still stored)");
        }

        if (stats.StoreFailuresInARow >= _options.UnhealthyStoreFailuresInARow)
        {
            Report(HealthStatus.Unhealthy, Format($"the event store failed {stats.StoreFailuresInARow} batches in a row ({stats.LastStoreError})"));
        }
        else if (stats.StoreFailuresInARow > 0)
        {
            Report(HealthStatus.Degraded, Format($"the event store failed the last batch ({stats.LastStoreError})"));
        }

        var description = reasons.Count == 0 ? "The analytics hub is running." : "The analytics hub is " + Describe(status) + ": " + string.Join("; ", reasons) + ".";
        return new HealthCheckResult(status, description, exception: null, data);
    }

    private static string Describe(HealthStatus status) => status switch
    {
        HealthStatus.Unhealthy => "unhealthy",
        HealthStatus.Degraded => "degraded",
        _ => "healthy",
    };

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
