using System.Threading.Channels;
using AnalyticsHub.Storage.Streams;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// The store's one <c>LISTEN</c> connection and the loop that hands committed events to subscribers in sequence order.
/// </summary>
/// <remarks>
/// Notifications carry only the last sequence of a committed batch; the dispatcher reads the rows after the last one
/// it delivered up to that sequence from the table (a pooled connection), so a lost or coalesced notification loses
/// nothing: after every (re)connection the listener reads the counter and catches up. Sequences that are gone by the
/// time they are read (evicted) reach subscribers as a gap frame. All subscriber bookkeeping happens on the dispatch
/// loop, one work item at a time.
/// </remarks>
internal sealed class EventNotificationListener : IAsyncDisposable
{
    private const int ReadChunk = 2000;
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _listenSource;
    private readonly string _schema;
    private readonly string _channel;
    private readonly PostgreSqlOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(BufferedEventSubscription Subscription, long After)> _subscribers = [];
    private readonly Task _listenLoop;
    private readonly Task _dispatchLoop;
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private long _position;
    private int _subscriberCount;

    public EventNotificationListener(NpgsqlDataSource dataSource, NpgsqlDataSource listenSource, string schema, string channel, PostgreSqlOptions options, ILogger logger, long position)
    {
        _dataSource = dataSource;
        _listenSource = listenSource;
        _schema = schema;
        _channel = channel;
        _options = options;
        _logger = logger;
        _position = position;
        _dispatchLoop = Task.Run(DispatchAsync);
        _listenLoop = Task.Run(ListenAsync);
    }

    /// <summary>How many times the listen connection was (re)established; for tests of resumption.</summary>
    public int Connections { get; private set; }

    public void Register(BufferedEventSubscription subscription, ulong after)
    {
        Interlocked.Increment(ref _subscriberCount);
        _work.Writer.TryWrite(new Work(WorkKind.Register, (long)after, subscription));
    }

    public void Unsubscribe(BufferedEventSubscription subscription)
    {
        Interlocked.Decrement(ref _subscriberCount);
        _work.Writer.TryWrite(new Work(WorkKind.Unregister, 0, subscription));
    }

    /// <summary>
    /// Delivers through <paramref name="sequence"/> (committed by this process) to this store's subscribers without waiting
    /// for the notification, and returns once they have been offered it: an append returns after its own subscribers saw it,
    /// as with the in-memory store. Offers never wait for a subscriber; a stalled database bounds the wait at a few seconds.
    /// </summary>
    public async Task CatchUpAsync(long sequence, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _subscriberCount) <= 0)
        {
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Interlocked.Read(ref _position) >= sequence)
            {
                return;
            }

            _waiters.Add((sequence, done));
        }

        _work.Writer.TryWrite(new Work(WorkKind.Committed, sequence, null));
        try
        {
            await done.Task.WaitAsync(CatchUpLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Delivery goes on in the background; the append itself is committed.
        }
    }

    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(5);

    /// <summary>The server process of the current listen connection, 0 while disconnected (tests kill it).</summary>
    public int ProcessId { get; private set; }

    private async Task ListenAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _listenSource.OpenConnectionAsync(token).ConfigureAwait(false);
                connection.Notification += (_, args) =>
                {
                    if (long.TryParse(args.Payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence))
                    {
                        _work.Writer.TryWrite(new Work(WorkKind.Committed, sequence, null));
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                // Listening first, then reading the counter: a commit in between is caught by one or the other.
                long last;
                await using (var read = new NpgsqlCommand($"SELECT last_sequence FROM {_schema}.sequence_counter", connection))
                {
                    last = (long)(await read.ExecuteScalarAsync(token).ConfigureAwait(false))!;
                }

                ProcessId = connection.ProcessID;
                Connections++;
                Log.ListenerConnected(_logger, _channel, last);
                _work.Writer.TryWrite(new Work(WorkKind.Committed, last, null));
                while (true)
                {
                    await connection.WaitAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException)
            {
                ProcessId = 0;
                Log.ListenerDisconnected(_logger, e, _options.ReconnectDelay);
                try
                {
                    // Real time, not the store's clock: a test's frozen clock must not stop reconnection.
                    await Task.Delay(_options.ReconnectDelay, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DispatchAsync()
    {
        var token = _stop.Token;
        var reader = _work.Reader;
        var target = _position;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                var registrations = new List<(BufferedEventSubscription, long)>();
                while (reader.TryRead(out var work))
                {
                    switch (work.Kind)
                    {
                        case WorkKind.Committed:
                            target = Math.Max(target, work.Sequence);
                            break;
                        case WorkKind.Register:
                            registrations.Add((work.Subscription!, work.Sequence));
                            break;
                        default:
                            _subscribers.RemoveAll(s => ReferenceEquals(s.Subscription, work.Subscription));
                            registrations.RemoveAll(s => ReferenceEquals(s.Item1, work.Subscription));
                            break;
                    }
                }

                foreach (var (subscription, after) in registrations)
                {
                    await RetryAsync(() => ReplayAsync(subscription, after, token), token).ConfigureAwait(false);
                    _subscribers.Add((subscription, Math.Max(after, _position)));
                }

                if (target > _position)
                {
                    await RetryAsync(() => DeliverAsync(target, token), token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task RetryAsync(Func<Task> action, CancellationToken token)
    {
        while (true)
        {
            try
            {
                await action().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException && !token.IsCancellationRequested)
            {
                Log.DispatchFailed(_logger, e, _options.ReconnectDelay);
                await Task.Delay(_options.ReconnectDelay, token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads sequences (position, target] and offers each to the subscribers whose filter it matches.</summary>
    private async Task DeliverAsync(long target, CancellationToken token)
    {
        while (_position < target)
        {
            var upTo = Math.Min(target, _position + ReadChunk);
            var expected = _position + 1;
            await foreach (var (sequence, arrival, evt) in ReadAsync(_position, upTo, token).ConfigureAwait(false))
            {
                if (sequence > expected)
                {
                    foreach (var (subscription, after) in _subscribers)
                    {
                        if (after < expected)
                        {
                            subscription.Unreplayable((ulong)expected, (ulong)sequence - 1);
                        }
                    }
                }

                foreach (var (subscription, after) in _subscribers)
                {
                    if (sequence > after && subscription.Matcher.Matches(evt))
                    {
                        subscription.Offer((ulong)sequence, evt, arrival);
                    }
                }

                expected = sequence + 1;
            }

            if (expected <= upTo)
            {
                foreach (var (subscription, after) in _subscribers)
                {
                    if (after < expected)
                    {
                        subscription.Unreplayable((ulong)expected, (ulong)upTo);
                    }
                }
            }

            Interlocked.Exchange(ref _position, upTo);
            ReleaseWaiters(upTo);
        }
    }

    private void ReleaseWaiters(long position)
    {
        lock (_waiters)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= position)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Replays what a resuming subscriber missed, up to what the listener has delivered, within the replay limit.</summary>
    private async Task ReplayAsync(BufferedEventSubscription subscription, long after, CancellationToken token)
    {
        var last = _position;
        if (after >= last)
        {
            return;
        }

        var from = after + 1;
        var oldest = Math.Max(1, last - _options.ReplayLimit + 1);
        var expected = from;
        var limited = from < oldest;
        if (limited)
        {
            expected = oldest;
        }

        var first = true;
        await foreach (var (sequence, arrival, evt) in ReadAsync(expected - 1, last, token).ConfigureAwait(false))
        {
            if (first)
            {
                // Whatever is missing before the first row still stored (the limit, or eviction) is one gap.
                if (sequence > from)
                {
                    subscription.Unreplayable((ulong)from, (ulong)sequence - 1);
                }

                first = false;
            }

            if (subscription.Matcher.Matches(evt))
            {
                subscription.Replay((ulong)sequence, evt, arrival);
            }
        }

        if (first)
        {
            subscription.Unreplayable((ulong)from, (ulong)last);
        }
    }

    private async IAsyncEnumerable<(long Sequence, DateTimeOffset Arrival, AnalyticsHub.Events.AnalyticsEvent Event)> ReadAsync(long after, long upTo, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT seq, arrival_ticks, body FROM {_schema}.events WHERE seq > $1 AND seq <= $2 ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upTo });
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        while (await reader.ReadAsync(token).ConfigureAwait(false))
        {
            var sequence = reader.GetInt64(0);
            yield return (sequence, new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), EventColumns.Read(reader.GetFieldValue<byte[]>(2), sequence));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _work.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_listenLoop, _dispatchLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var (subscription, _) in _subscribers)
        {
            subscription.Complete();
        }

        // A subscription registered just before the stop may still wait in the queue the dispatch loop no longer reads:
        // it ends the same way, with its complete frame.
        while (_work.Reader.TryRead(out var work))
        {
            if (work.Kind == WorkKind.Register && work.Subscription is { } pending && !_subscribers.Exists(s => ReferenceEquals(s.Subscription, pending)))
            {
                pending.Complete();
            }
        }

        ReleaseWaiters(long.MaxValue);

        _subscribers.Clear();
        _stop.Dispose();
    }

    private enum WorkKind
    {
        Committed,
        Register,
        Unregister,
    }

    private readonly record struct Work(WorkKind Kind, long Sequence, BufferedEventSubscription? Subscription);
}
