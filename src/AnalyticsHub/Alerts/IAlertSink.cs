namespace AnalyticsHub.Alerts;

/// <summary>
/// Where a host receives the hub's alerts (a pager, a chat channel, a ticket system): incidents of the
/// <c>correlation</c> stage and blocking violations of the <c>policies</c> stage. Register one or more with
/// <c>AnalyticsHubBuilder.AddAlertSink</c>.
/// </summary>
/// <remarks>
/// Called off the ingestion path, one alert at a time in the order they were raised, from one background task shared by
/// every stage: a slow sink delays only later alerts, and when the queue (<see cref="AlertDeliveryOptions.QueueCapacity"/>)
/// is full new alerts are dropped and counted (<c>analyticshub.alerts.dropped</c>), never waited for. An exception from a
/// sink is counted (<c>analyticshub.alerts.sink_failures</c>) and the next alert is still delivered. Each alert is raised
/// once, also when the stream is replayed.
/// </remarks>
public interface IAlertSink
{
    /// <summary>Delivers one alert; switch on its type (<c>CorrelationAlert</c>, <c>PolicyAlert</c>) or its <see cref="Alert.Kind"/>.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancelled when the hub is disposed.</param>
    ValueTask SendAsync(Alert alert, CancellationToken cancellationToken);
}
