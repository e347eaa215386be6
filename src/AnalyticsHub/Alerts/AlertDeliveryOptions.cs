namespace AnalyticsHub.Alerts;

/// <summary>How the hub's alerts reach the host's <see cref="IAlertSink"/>s: the queue between the stages and the sinks, and the drain at stop.</summary>
public sealed class AlertDeliveryOptions
{
    /// <summary>How many alerts may wait for the sinks (default 1,024); when full, new alerts are dropped and counted, never waited for.</summary>
    public int QueueCapacity { get; set; } = 1_024;

    /// <summary>How long stopping the hub waits for queued alerts to reach the sinks (default 5 seconds).</summary>
    public TimeSpan DrainTime { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate(List<string> problems)
    {
        if (QueueCapacity < 1 || QueueCapacity > 1_000_000)
        {
            problems.Add($"AlertDelivery.QueueCapacity {QueueCapacity} must lie in 1..1,000,000.");
        }

        if (DrainTime < TimeSpan.Zero || DrainTime > TimeSpan.FromMinutes(5))
        {
            problems.Add($"AlertDelivery.DrainTime {DrainTime} must lie between zero and 5 minutes.");
        }
    }
}
