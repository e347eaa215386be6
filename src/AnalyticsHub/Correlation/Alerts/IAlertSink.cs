namespace AnalyticsHub.Correlation.Alerts;

/// <summary>
/// Where a host receives the alerts of the <c>correlation</c> stage (a pager, a chat channel, a ticket system). Register
/// one or more with <c>AnalyticsHubBuilder.AddAlertSink</c>.
/// </summary>
/// <remarks>
/// Called off the ingestion path, one alert at a time in the order they were raised, from one background task: a slow
/// sink delays only later alerts, and when the queue (<see cref="CorrelationStageOptions.AlertQueueCapacity"/>) is full
/// new alerts are dropped and counted (<c>analyticshub.correlation.alerts_dropped</c>), never waited for. An exception
/// from a sink is counted (<c>analyticshub.correlation.alert_sink_failures</c>) and the next alert is still delivered.
/// Each alert is raised once per incident and severity step, also when the stream is replayed.
/// </remarks>
public interface IAlertSink
{
    /// <summary>Delivers one alert.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancelled when the hub stops and its drain time is over.</param>
    ValueTask SendAsync(CorrelationAlert alert, CancellationToken cancellationToken);
}
