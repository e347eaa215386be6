using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// <see cref="IEventStore"/> on PostgreSQL: events in a table partitioned by day of event time, idempotent by
/// <c>event_id</c> through an unpartitioned <c>event_ids</c> table, each batch one transaction written with binary
/// <c>COPY</c> into a staging table and merged; live subscriptions over <c>LISTEN/NOTIFY</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every event is stored as its canonical wire JSON (UTF-8 <c>bytea</c>), so whatever the in-memory store accepts reads
/// back byte for byte, U+0000 included; typed columns beside it serve the filters. Sequence numbers are assigned under
/// the row lock of a one-row counter held to commit, so they follow commit order across hosts sharing the database:
/// a subscriber never sees sequence <c>n + 1</c> before <c>n</c> is visible.
/// </para>
/// <para>
/// A day partition missing for a batch (a replay, a late event) is created inside the batch's transaction. Thread-safe;
/// several stores (hosts) may share one schema. Dispose it to stop the notification listener and end subscriptions.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlEventStore : IEventStore, IAsyncDisposable, IDisposable
{
    private const string StagingColumns = "ord, ticks, event_id, source_module, event_type, severity, payload_type, correlation_id, parent_event_id, environment, subtype, tags, body";
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _listenSource;
    private readonly bool _ownsDataSources;
    private readonly PostgreSqlOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _schema;
    private readonly string _channel;
    private readonly HashSet<long> _knownDays = [];
    private readonly SchemaGate _schemaGate;
    private long _nextAgeSweepTicks;
    private long _nextPartitionSweepTicks;
    private int _disposed;

    /// <summary>Creates a store on <paramref name="dataSource"/>; nothing is read or written until it is first used.</summary>
    /// <param name="dataSource">The database (the caller keeps ownership). The notification listener holds one of its connections for the store's lifetime.</param>
    /// <param name="options">Schema, migrations, retention and streaming; validated here.</param>
    /// <param name="timeProvider">The clock for arrival times, retention and heartbeats; the system clock when null.</param>
    /// <param name="logger">Where the listener reports reconnects; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem in one message).</exception>
    public PostgreSqlEventStore(NpgsqlDataSource dataSource, PostgreSqlOptions? options = null, TimeProvider? timeProvider = null, ILogger<PostgreSqlEventStore>? logger = null)
        : this(dataSource, dataSource, ownsDataSources: false, options, timeProvider, logger)
    {
    }

    internal PostgreSqlEventStore(NpgsqlDataSource dataSource, NpgsqlDataSource listenSource, bool ownsDataSources, PostgreSqlOptions? options, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _options = (options ?? new PostgreSqlOptions()).Clone();
        _options.ThrowIfInvalid();
        _dataSource = dataSource;
        _listenSource = listenSource;
        _ownsDataSources = ownsDataSources;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _schema = PostgreSqlMigrator.Quote(_options.Schema);
        _schemaGate = new SchemaGate(dataSource, _options);
        _channel = "analyticshub_events_" + _options.Schema;
        _listener = new Lazy<EventNotificationListener>(CreateListener);
    }

    /// <summary>The schema holding the store's tables.</summary>
    public string Schema => _options.Schema;

    /// <summary>The pooled data source the store writes through; the package's other stores share it.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Applies pending migrations (or, with <see cref="PostgreSqlOptions.MigrateOnStart"/> off, checks the schema) once; every operation awaits it first.</summary>
    /// <param name="cancellationToken">Cancels waiting (the migration itself continues for the next caller).</param>
    /// <exception cref="PostgreSqlSchemaException">The schema is newer than this code, or not migrated while migrations are off.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _schemaGate.EnsureAsync(cancellationToken);
    }

    /// <summary>Appends a batch as a write of its own (a new write id).</summary>
    /// <param name="events">Validated events.</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    public ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, CancellationToken cancellationToken = default) =>
        AppendAsync(events, Guid.NewGuid(), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: partitions the batch needs are created, the events are copied (binary <c>COPY</c>) into a staging
    /// table, then merged under the sequence counter's row lock: ids already stored (or earlier in the batch) are
    /// duplicates, the others get consecutive sequences and their row in <c>event_ids</c>, which records the write id.
    /// A failure anywhere stores nothing; a retry of a write whose commit was not acknowledged finds its events in
    /// <c>event_ids</c> under its own write id and reports them <see cref="AppendItemStatus.Recovered"/>.
    /// </remarks>
    public async ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is null)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The batch holds null at index {i}."), nameof(events));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (events.Count == 0)
        {
            return new AppendResult(0, 0, null, 0);
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);

        // Duplicates inside the batch never reach the database: the first occurrence is the one offered.
        AppendItemStatus[]? statuses = null;
        var seen = new HashSet<Guid>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (!seen.Add(events[i].EventId))
            {
                statuses ??= new AppendItemStatus[events.Count];
                statuses[i] = AppendItemStatus.Duplicate;
            }
        }

        try
        {
            return await AppendOnceAsync(events, writeId, statuses, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && e.MessageText.StartsWith("no partition", StringComparison.Ordinal))
        {
            // "no partition of relation found": another host dropped a partition this one believed in. Forget them all.
            lock (_knownDays)
            {
                _knownDays.Clear();
            }

            return await AppendOnceAsync(events, writeId, statuses, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AppendResult> AppendOnceAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, AppendItemStatus[]? batchDuplicates, CancellationToken cancellationToken)
    {
        var statuses = batchDuplicates is null ? null : (AppendItemStatus[])batchDuplicates.Clone();
        var now = _time.GetUtcNow().UtcTicks;
        var newDays = new List<long>();
        lock (_knownDays)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var day = events[i].Timestamp.UtcTicks / TimeSpan.TicksPerDay;
                if (!_knownDays.Contains(day) && !newDays.Contains(day))
                {
                    newDays.Add(day);
                }
            }
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (newDays.Count > 0)
        {
            await CreatePartitionsAsync(connection, transaction, newDays, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, """
            CREATE TEMP TABLE IF NOT EXISTS analyticshub_staging (
                ord integer, ticks bigint, event_id uuid, source_module smallint, event_type smallint, severity smallint, payload_type smallint,
                correlation_id uuid, parent_event_id uuid, environment bytea, subtype bytea, tags bytea[], body bytea) ON COMMIT DELETE ROWS
            """, cancellationToken).ConfigureAwait(false);
        await CopyAsync(connection, events, statuses, cancellationToken).ConfigureAwait(false);

        // From here to commit this transaction holds the counter's row lock: sequences follow commit order.
        await using var counter = new NpgsqlCommand($"SELECT last_sequence FROM {_schema}.sequence_counter FOR UPDATE", connection, transaction);
        var last = (long)(await counter.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        if (_options.MaxAge is { } maxAge)
        {
            await ExpireAsync(connection, transaction, now - maxAge.Ticks, cancellationToken).ConfigureAwait(false);
        }

        var appendedOrds = new List<int>(events.Count);
        await using (var merge = new NpgsqlCommand($"""
            WITH fresh AS (
                INSERT INTO {_schema}.event_ids (event_id, ticks, write_id)
                SELECT event_id, ticks, $3 FROM analyticshub_staging ORDER BY ord
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id),
            numbered AS (
                SELECT s.*, $1::bigint + row_number() OVER (ORDER BY s.ord) AS sequence
                FROM analyticshub_staging s JOIN fresh f ON f.event_id = s.event_id),
            stored AS (
                INSERT INTO {_schema}.events (ticks, seq, arrival_ticks, event_id, source_module, event_type, severity, payload_type, correlation_id, parent_event_id, environment, subtype, tags, body)
                SELECT ticks, sequence, $2, event_id, source_module, event_type, severity, payload_type, correlation_id, parent_event_id, environment, subtype, tags, body
                FROM numbered)
            SELECT ord FROM numbered ORDER BY ord
            """, connection, transaction))
        {
            merge.Parameters.Add(new NpgsqlParameter<long> { TypedValue = last });
            merge.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
            merge.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = writeId });
            await using var reader = await merge.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                appendedOrds.Add(reader.GetInt32(0));
            }
        }

        var appended = appendedOrds.Count;
        var offered = events.Count - (batchDuplicates?.Count(s => s == AppendItemStatus.Duplicate) ?? 0);
        var recoveredOrds = new HashSet<int>();
        if (appended < offered)
        {
            // Ids already stored: those an earlier attempt of this same write stored are recovered, not duplicates.
            await using var recovered = new NpgsqlCommand($"""
                SELECT s.ord FROM analyticshub_staging s JOIN {_schema}.event_ids e ON e.event_id = s.event_id
                WHERE e.write_id = $1
                """, connection, transaction);
            recovered.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = writeId });
            await using var reader = await recovered.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                recoveredOrds.Add(reader.GetInt32(0));
            }

            // The rows this call inserted carry the write id too; only the others are earlier attempts' rows.
            recoveredOrds.ExceptWith(appendedOrds);
        }

        var newLast = last + appended;
        if (appended > 0)
        {
            await using var advance = new NpgsqlBatch(connection, transaction);
            var update = new NpgsqlBatchCommand($"UPDATE {_schema}.sequence_counter SET last_sequence = $1");
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = newLast });
            var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _channel });
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = newLast.ToString(CultureInfo.InvariantCulture) });
            advance.BatchCommands.Add(update);
            advance.BatchCommands.Add(notify);
            await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (_options.MaxEvents is { } maxEvents && newLast > maxEvents)
            {
                await EvictThroughAsync(connection, transaction, newLast - maxEvents, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_options.PartitionRetention is { } retention && now >= Interlocked.Read(ref _nextPartitionSweepTicks))
        {
            await DropExpiredPartitionsAsync(connection, transaction, now - retention.Ticks, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _nextPartitionSweepTicks, now + TimeSpan.TicksPerHour);
        }

        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        if (newDays.Count > 0)
        {
            lock (_knownDays)
            {
                _knownDays.UnionWith(newDays);
            }
        }

        if (appended > 0 && _listener.IsValueCreated)
        {
            await _listener.Value.CatchUpAsync(newLast, CancellationToken.None).ConfigureAwait(false);
        }

        // Every offered event that did not come back from the merge was already stored: by an earlier attempt of this
        // write (recovered) or by another write (duplicate).
        if (appended < offered)
        {
            statuses ??= new AppendItemStatus[events.Count];
            var next = 0;
            for (var i = 0; i < events.Count; i++)
            {
                if (statuses[i] == AppendItemStatus.Duplicate)
                {
                    continue;
                }

                if (next < appendedOrds.Count && appendedOrds[next] == i)
                {
                    next++;
                }
                else
                {
                    statuses[i] = recoveredOrds.Contains(i) ? AppendItemStatus.Recovered : AppendItemStatus.Duplicate;
                }
            }
        }

        return new AppendResult(events.Count, events.Count - appended - recoveredOrds.Count, statuses, (ulong)last + 1, recoveredOrds.Count);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<AnalyticsEvent> events, AppendItemStatus[]? statuses, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY analyticshub_staging ({StagingColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < events.Count; i++)
        {
            if (statuses is not null && statuses[i] == AppendItemStatus.Duplicate)
            {
                continue;
            }

            var evt = events[i];
            var common = evt.Common;
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(common.Timestamp.UtcTicks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(common.EventId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)common.SourceModule, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)common.EventType, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)common.Severity, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)evt.Payload.PayloadType, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(importer, common.CorrelationId, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(importer, common.ParentEventId, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(EventColumns.Utf8(common.Environment), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(EventColumns.Utf8(evt.Payload.Subtype), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(EventColumns.Tags(common.Tags), NpgsqlDbType.Array | NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(AnalyticsEventJson.SerializeToUtf8Bytes(evt), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask WriteNullableAsync(NpgsqlBinaryImporter importer, Guid? value, CancellationToken cancellationToken)
    {
        if (value is { } id)
        {
            await importer.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CreatePartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<long> days, CancellationToken cancellationToken)
    {
        // One creator at a time per schema: CREATE ... IF NOT EXISTS races with itself otherwise.
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgreSqlMigrator.LockKey(_options.Schema + ".partitions")})", cancellationToken).ConfigureAwait(false);
        foreach (var day in days)
        {
            var from = day * TimeSpan.TicksPerDay;
            var name = PartitionName(day);
            await ExecuteAsync(
                connection,
                transaction,
                string.Create(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {_schema}.{name} PARTITION OF {_schema}.events FOR VALUES FROM ({from}) TO ({from + TimeSpan.TicksPerDay})"),
                cancellationToken).ConfigureAwait(false);
        }
    }

    internal static string PartitionName(long day) =>
        "events_p" + new DateTime(day * TimeSpan.TicksPerDay, DateTimeKind.Utc).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private async Task ExpireAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long cutoff, CancellationToken cancellationToken)
    {
        // Expired ids offered again are new events: drop their old rows first (by id, through the index).
        var sql = $"""
            WITH gone AS (
                DELETE FROM {_schema}.events e USING analyticshub_staging s
                WHERE e.event_id = s.event_id AND e.arrival_ticks < $1 RETURNING e.event_id)
            DELETE FROM {_schema}.event_ids i USING gone WHERE i.event_id = gone.event_id
            """;
        var now = cutoff + _options.MaxAge!.Value.Ticks;
        if (now >= Interlocked.Read(ref _nextAgeSweepTicks))
        {
            // Everything expired, at most once per sixteenth of the age: reads hide expired rows anyway.
            sql = $"""
                WITH gone AS (DELETE FROM {_schema}.events WHERE arrival_ticks < $1 RETURNING event_id)
                DELETE FROM {_schema}.event_ids i USING gone WHERE i.event_id = gone.event_id
                """;
            Interlocked.Exchange(ref _nextAgeSweepTicks, now + Math.Max(TimeSpan.TicksPerMinute, _options.MaxAge.Value.Ticks / 16));
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EvictThroughAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long sequence, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            WITH gone AS (DELETE FROM {_schema}.events WHERE seq <= $1 RETURNING event_id)
            DELETE FROM {_schema}.event_ids i USING gone WHERE i.event_id = gone.event_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DropExpiredPartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long cutoff, CancellationToken cancellationToken)
    {
        var expired = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass($1)
            """, connection, transaction))
        {
            list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema + ".events" });
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                if (DateTime.TryParseExact(name.AsSpan("events_p".Length), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
                    && day.Ticks + TimeSpan.TicksPerDay <= cutoff)
                {
                    expired.Add(name);
                }
            }
        }

        if (expired.Count == 0)
        {
            return;
        }

        foreach (var name in expired)
        {
            await ExecuteAsync(connection, transaction, $"DROP TABLE {_schema}.{name}", cancellationToken).ConfigureAwait(false);
            Log.PartitionDropped(_logger, name);
        }

        await using var ids = new NpgsqlCommand($"DELETE FROM {_schema}.event_ids WHERE ticks < $1", connection, transaction);
        ids.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff / TimeSpan.TicksPerDay * TimeSpan.TicksPerDay });
        await ids.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        lock (_knownDays)
        {
            _knownDays.Clear();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the notification listener and ends every subscription with a <c>complete</c> frame.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_listener.IsValueCreated)
        {
            await _listener.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsDataSources)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            if (!ReferenceEquals(_listenSource, _dataSource))
            {
                await _listenSource.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops the notification listener and ends every subscription (see <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
