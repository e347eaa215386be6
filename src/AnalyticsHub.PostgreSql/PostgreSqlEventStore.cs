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
/// <c>COPY</c> into <c>event_ids</c> (whose primary key refuses a stored id) and straight into the partitioned table;
/// live subscriptions over <c>LISTEN/NOTIFY</c>.
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
    private const string EventColumnList = "ticks, seq, arrival_ticks, event_id, source_module, event_type, severity, payload_type, correlation_id, parent_event_id, environment, subtype, tags, body";
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
        _schemaGate = SchemaGate.Open(dataSource, options);
        _options = _schemaGate.Options;
        _dataSource = dataSource;
        _listenSource = listenSource;
        _ownsDataSources = ownsDataSources;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _schema = _schemaGate.Schema;
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
    /// One transaction: partitions the batch needs are created, then, under the sequence counter's row lock, the events
    /// (ids earlier in the batch are duplicates) get consecutive sequences and are copied (binary <c>COPY</c>) into
    /// <c>event_ids</c>, which records the write id and the sequence, and straight into the partitioned <c>events</c>
    /// table. When the primary key of <c>event_ids</c> refuses an id, that transaction is rolled back and a second one
    /// probes <c>event_ids</c> first and copies only the events not stored yet.
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

        var offered = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (batchDuplicates is null || batchDuplicates[i] != AppendItemStatus.Duplicate)
            {
                offered.Add(i);
            }
        }

        var ids = new Guid[offered.Count];
        for (var k = 0; k < offered.Count; k++)
        {
            ids[k] = events[offered[k]].EventId;
        }

        // The bodies are encoded on a worker while the connection opens, the counter is locked and the ids are copied:
        // the client's largest share runs beside the server's instead of before it. Only the events' COPY waits for it.
        var bodies = Task.Run(() => EncodeBodies(events, offered), CancellationToken.None);
        var batch = new PendingBatch(events, writeId, batchDuplicates, offered, ids, bodies, newDays, now);
        try
        {
            // Most batches hold no stored id, so the first attempt copies every offered event without probing event_ids:
            // its primary key refuses a stored one, and that attempt is rolled back whole.
            return await WriteAsync(batch, probe: false, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "event_ids_pkey")
        {
            // Some ids are stored (a retried write, a re-sent event, another host's copy): probe, then copy only the new.
            return await WriteAsync(batch, probe: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[][] EncodeBodies(IReadOnlyList<AnalyticsEvent> events, List<int> offered)
    {
        var bodies = new byte[offered.Count][];
        for (var k = 0; k < offered.Count; k++)
        {
            bodies[k] = AnalyticsEventJson.SerializeToUtf8Bytes(events[offered[k]]);
        }

        return bodies;
    }

    /// <summary>One batch on its way in: the offered events (not duplicated inside the batch), their ids and bodies (being encoded).</summary>
    private sealed record PendingBatch(
        IReadOnlyList<AnalyticsEvent> Events,
        Guid WriteId,
        AppendItemStatus[]? BatchDuplicates,
        List<int> Offered,
        Guid[] Ids,
        Task<byte[][]> Bodies,
        List<long> NewDays,
        long Now);

    /// <summary>
    /// One transaction writing <paramref name="batch"/>. With <paramref name="probe"/> off every offered event is copied
    /// as new (a stored one fails the copy of its id); with it on, a probe of <c>event_ids</c> first sorts out the
    /// stored ones.
    /// </summary>
    private async Task<AppendResult> WriteAsync(PendingBatch batch, bool probe, CancellationToken cancellationToken)
    {
        var (events, writeId, _, offered, ids, _, newDays, now) = batch;
        var statuses = batch.BatchDuplicates is null ? null : (AppendItemStatus[])batch.BatchDuplicates.Clone();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (newDays.Count > 0)
        {
            await CreatePartitionsAsync(connection, transaction, newDays, cancellationToken).ConfigureAwait(false);
        }

        // From here to commit this transaction holds the counter's row lock: sequences follow commit order, and no other
        // append can store one of this batch's ids between the probe and the copy (every append takes this lock first).
        await using var counter = new NpgsqlCommand($"SELECT last_sequence FROM {_schema}.sequence_counter FOR UPDATE", connection, transaction);
        var last = (long)(await counter.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        if (_options.MaxAge is { } maxAge)
        {
            await SweepExpiredAsync(connection, transaction, now, now - maxAge.Ticks, cancellationToken).ConfigureAwait(false);
        }

        var stored = probe ? await ProbeAsync(connection, transaction, ids, now, cancellationToken).ConfigureAwait(false) : null;

        // The new events, in batch order, take consecutive sequences; the others were stored by an earlier attempt of
        // this write (recovered) or by another write (duplicate).
        var fresh = new List<int>(offered.Count);
        var recovered = 0;
        for (var k = 0; k < offered.Count; k++)
        {
            if (stored is not null && stored.TryGetValue(ids[k], out var storedBy))
            {
                statuses ??= new AppendItemStatus[events.Count];
                var mine = storedBy == writeId;
                statuses[offered[k]] = mine ? AppendItemStatus.Recovered : AppendItemStatus.Duplicate;
                recovered += mine ? 1 : 0;
            }
            else
            {
                fresh.Add(k);
            }
        }

        var appended = fresh.Count;
        var newLast = last + appended;
        if (appended > 0)
        {
            await CopyIdsAsync(connection, events, offered, fresh, writeId, last, cancellationToken).ConfigureAwait(false);
            var bodies = await batch.Bodies.ConfigureAwait(false);
            await CopyEventsAsync(connection, events, offered, fresh, bodies, last, now, cancellationToken).ConfigureAwait(false);

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

        return new AppendResult(events.Count, events.Count - appended - recovered, statuses, (ulong)last + 1, recovered);
    }

    /// <summary>
    /// Which of <paramref name="ids"/> are stored, with the write that stored each; null when none is. With
    /// <see cref="PostgreSqlOptions.MaxAge"/>, an expired event offered again is new: its old rows are deleted here.
    /// </summary>
    private async Task<Dictionary<Guid, Guid?>?> ProbeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] ids, long now, CancellationToken cancellationToken)
    {
        Dictionary<Guid, Guid?>? stored = null;
        await using (var probe = new NpgsqlCommand($"SELECT event_id, write_id FROM {_schema}.event_ids WHERE event_id = ANY($1)", connection, transaction))
        {
            probe.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
            await using var reader = await probe.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored ??= [];
                stored[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : reader.GetGuid(1);
            }
        }

        if (stored is null || _options.MaxAge is not { } maxAge)
        {
            return stored;
        }

        // event_ids holds each event's partition key and sequence, so the old row is found through (ticks, seq).
        await using var expire = new NpgsqlCommand($"""
            WITH gone AS (
                DELETE FROM {_schema}.events e USING {_schema}.event_ids i
                WHERE i.event_id = ANY($1) AND e.ticks = i.ticks AND e.seq = i.seq AND e.arrival_ticks < $2
                RETURNING e.event_id)
            DELETE FROM {_schema}.event_ids i USING gone WHERE i.event_id = gone.event_id RETURNING i.event_id
            """, connection, transaction);
        expire.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. stored.Keys] });
        expire.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now - maxAge.Ticks });
        await using (var reader = await expire.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Remove(reader.GetGuid(0));
            }
        }

        return stored.Count == 0 ? null : stored;
    }

    private async Task CopyIdsAsync(NpgsqlConnection connection, IReadOnlyList<AnalyticsEvent> events, List<int> offered, List<int> fresh, Guid writeId, long last, CancellationToken cancellationToken)
    {
        // In id order, not batch order: random (version 4) ids inserted in batch order land on random leaves of the
        // primary key, sorted they walk its leaves left to right, each leaf and the path to it still in cache from the
        // insert before (about half the server's work for this COPY). Each row keeps the sequence of its batch position.
        var order = new int[fresh.Count];
        var keys = new Guid[fresh.Count];
        for (var n = 0; n < fresh.Count; n++)
        {
            order[n] = n;
            keys[n] = events[offered[fresh[n]]].EventId;
        }

        // Guid's order is PostgreSQL's uuid order: both compare the canonical text form's bytes from the left.
        Array.Sort(keys, order);
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {_schema}.event_ids (event_id, ticks, write_id, seq) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var n in order)
        {
            var common = events[offered[fresh[n]]].Common;
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(common.EventId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(common.Timestamp.UtcTicks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(writeId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(last + n + 1, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyEventsAsync(NpgsqlConnection connection, IReadOnlyList<AnalyticsEvent> events, List<int> offered, List<int> fresh, byte[][] bodies, long last, long now, CancellationToken cancellationToken)
    {
        // Straight into the partitioned table (the server routes each row to its day): the probe already decided which
        // events are new, so there is no staging table to merge from.
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {_schema}.events ({EventColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (var n = 0; n < fresh.Count; n++)
        {
            var evt = events[offered[fresh[n]]];
            var common = evt.Common;
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(common.Timestamp.UtcTicks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(last + n + 1, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
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
            await importer.WriteAsync(bodies[fresh[n]], NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Deletes every expired event, at most once per sixteenth of <see cref="PostgreSqlOptions.MaxAge"/>: reads hide expired rows anyway.</summary>
    private async Task SweepExpiredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long now, long cutoff, CancellationToken cancellationToken)
    {
        if (now < Interlocked.Read(ref _nextAgeSweepTicks))
        {
            return;
        }

        await using var command = new NpgsqlCommand($"""
            WITH gone AS (DELETE FROM {_schema}.events WHERE arrival_ticks < $1 RETURNING event_id)
            DELETE FROM {_schema}.event_ids i USING gone WHERE i.event_id = gone.event_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _nextAgeSweepTicks, now + Math.Max(TimeSpan.TicksPerMinute, _options.MaxAge!.Value.Ticks / 16));
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
