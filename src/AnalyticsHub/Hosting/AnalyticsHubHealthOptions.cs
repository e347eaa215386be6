using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AnalyticsHub.Hosting;

/// <summary>The thresholds of the hub's health check (<see cref="AnalyticsHubHealthCheck"/>).</summary>
public sealed class AnalyticsHubHealthOptions
{
    /// <summary>The share of the queue's capacity in use at which the hub reports degraded; 0.8 by default.</summary>
    public double DegradedQueueFill { get; set; } = 0.8;

    /// <summary>The share of the queue's capacity in use at which the hub reports unhealthy; 1 (full) by default.</summary>
    public double UnhealthyQueueFill { get; set; } = 1.0;

    /// <summary>
    /// How many items backpressure may refuse or drop between two health checks before the hub reports degraded;
    /// 1 by default (any).
    /// </summary>
    public long DegradedBackpressureItems { get; set; } = 1;

    /// <summary>The status while a stage's circuit is open or half-open (the stage is skipped; events are still stored); degraded by default.</summary>
    public HealthStatus OpenCircuitStatus { get; set; } = HealthStatus.Degraded;

    /// <summary>How many store writes in a row may give up before the hub reports unhealthy (fewer, but some, is degraded); 3 by default.</summary>
    public int UnhealthyStoreFailuresInARow { get; set; } = 3;

    internal void Validate(List<string> problems)
    {
        if (!(DegradedQueueFill > 0 && DegradedQueueFill <= 1))
        {
            problems.Add($"Health.DegradedQueueFill must be above 0 and at most 1; it is {DegradedQueueFill}.");
        }

        if (!(UnhealthyQueueFill >= DegradedQueueFill && UnhealthyQueueFill <= 1))
        {
            problems.Add($"Health.UnhealthyQueueFill must be between DegradedQueueFill ({DegradedQueueFill}) and 1; it is {UnhealthyQueueFill}.");
        }

        if (DegradedBackpressureItems < 1)
        {
            problems.Add($"Health.DegradedBackpressureItems must be at least 1; it is {DegradedBackpressureItems}.");
        }

        if (!Enum.IsDefined(OpenCircuitStatus))
        {
            problems.Add($"Health.OpenCircuitStatus {(int)OpenCircuitStatus} is not a health status.");
        }

        if (UnhealthyStoreFailuresInARow < 1)
        {
            problems.Add($"Health.UnhealthyStoreFailuresInARow must be at least 1; it is {UnhealthyStoreFailuresInARow}.");
        }
    }
}
