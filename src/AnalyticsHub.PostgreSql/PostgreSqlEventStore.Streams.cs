using AnalyticsHub.Storage;
using AnalyticsHub.Storage.Streams;
using Npgsql;

namespace AnalyticsHub.PostgreSql;

public sealed partial class PostgreSqlEventStore
{
    private readonly Lazy<EventNotificationListener> _listener;

    /// <inheritdoc />
    /// <remarks>
    /// The first subscription starts the store's notification listener: one connection held for the store's lifetime
    /// that <c>LISTEN</c>s for committed sequence numbers (notifications carry nothing else) and reconnects when it drops,
    /// catching up from the last sequence it delivered. Events are read back from the table in sequence order, so every
    /// host sharing the schema sees every event. A resume replays at most the newest <see cref="PostgreSqlOptions.ReplayLimit"/>
    /// sequences still stored; what it cannot replay comes as a <c>stream_gap</c> frame. Heartbeats follow the store's clock.
    /// This call reads the current sequence from the database (synchronously, the first time also migrating).
    /// </remarks>
    public IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.ValidateFilter() is { Count: > 0 } problems)
        {
            throw new InvalidQueryException("The event filter is invalid.", problems);
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        InitializeAsync().GetAwaiter().GetResult();
        var listener = _listener.Value;
        var last = (ulong)ReadLastSequence();
        var subscription = new BufferedEventSubscription(listener.Unsubscribe, filter, _options.SubscriberBufferSize, _time, Math.Min(resumeAfterSequence ?? last, last));
        listener.Register(subscription, Math.Min(resumeAfterSequence ?? last, last));
        subscription.StartHeartbeats(_options.HeartbeatInterval);
        return subscription;
    }

    /// <summary>The server process holding the listen connection, 0 when none is connected (for fault tests).</summary>
    internal int ListenerProcessId => _listener.IsValueCreated ? _listener.Value.ProcessId : 0;

    private long ReadLastSequence()
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT last_sequence FROM {_schema}.sequence_counter", connection);
        return (long)command.ExecuteScalar()!;
    }

    private EventNotificationListener CreateListener() =>
        new(_dataSource, _listenSource, _schema, _channel, _options, _logger, ReadLastSequence());
}
