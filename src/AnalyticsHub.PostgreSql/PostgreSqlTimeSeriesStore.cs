using System.Data;
using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using Npgsql;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// <see cref="ITimeSeriesStore"/> on PostgreSQL: points in chunks of up to 1,024 per series and UTC day (an array per
/// column, partitioned by day), rollups with their statistics and sketch, raw horizons and continuous queries in tables,
/// so a restarted hub keeps its series; queries run in process on the core's engine over the decoded chunks.
/// </summary>
/// <remarks>
/// <para>
/// The server is the record; the store keeps a replica of it in an <see cref="InMemoryTimeSeriesStore"/> (built from the
/// tables on first use) and answers queries, descriptions and cardinality from it, so every result equals the in-memory
/// store's. Each change validates against the replica, then writes the same change to the tables in one transaction
/// under the row lock of <c>ts_state</c>, whose version it raises: a change that fails or is cancelled after the
/// replica took it stores nothing, and the replica is rebuilt from the tables on next use.
/// </para>
/// <para>
/// Several hosts may share a schema: every operation first compares the replica's version with the table's and
/// rebuilds the replica when another host changed the data. Rebuilding reads every chunk, so a schema written by several
/// hosts at once costs a rebuild per foreign change; one writing host per schema is the intended use. A query may see a
/// write that is still committing. Thread-safe.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlTimeSeriesStore : ITimeSeriesStore, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SchemaGate _schemaGate;
    private readonly string _schema;
    private readonly InMemoryTimeSeriesStoreOptions _engineOptions;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Replica? _replica;

    /// <summary>Creates a store on <paramref name="dataSource"/> (the caller keeps ownership); nothing is read until it is first used.</summary>
    /// <param name="dataSource">The database; it must support arrays, as <see cref="NpgsqlDataSource.Create(string)"/> does.</param>
    /// <param name="options">The schema and whether to migrate it, and in <see cref="PostgreSqlOptions.TimeSeries"/> the retention policy, cardinality and query limits.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PostgreSqlTimeSeriesStore(NpgsqlDataSource dataSource, PostgreSqlOptions? options = null)
    {
        _schemaGate = SchemaGate.Open(dataSource, options);
        _dataSource = dataSource;
        _schema = _schemaGate.Schema;
        _engineOptions = _schemaGate.Options.TimeSeries with { SealChunks = true };
        using var check = new InMemoryTimeSeriesStore(_engineOptions); // the engine's own checks of the options, at construction
    }

    /// <inheritdoc/>
    public ValueTask<TimeSeriesWriteResult> WriteAsync(TimeSeriesBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteThroughAsync(batch.Points ?? [], (memory, token) => memory.WriteAsync(batch, token), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<TimeSeriesWriteResult> WritePointsAsync(IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        return WriteThroughAsync(points, (memory, token) => memory.WritePointsAsync(points, token), cancellationToken);
    }

    /// <summary>
    /// Writes points to the replica and the tables. The replica's write (validation and the in-memory insert) runs on a
    /// worker while this thread builds the chunks and copies them: the engine accepts or rejects a batch whole, so a
    /// rejected batch only rolls the transaction back, and what the copy adds to the replica's bookkeeping (series ids,
    /// partitions) is kept only once the batch is accepted.
    /// </summary>
    private ValueTask<TimeSeriesWriteResult> WriteThroughAsync(
        IReadOnlyList<TimeSeriesPoint> points, Func<InMemoryTimeSeriesStore, CancellationToken, ValueTask<TimeSeriesWriteResult>> write, CancellationToken cancellationToken) =>
        MutateAsync(async (replica, connection, transaction, token) =>
        {
            var replicaWrite = Task.Run(() => write(replica.Memory, token).AsTask(), CancellationToken.None);
            await using var pending = new NpgsqlBatch(connection, transaction);
            CopiedPoints? copied = null;
            Exception? failure = null;
            try
            {
                copied = await CopyPointsAsync(replica, connection, pending, points, token).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                failure = exception; // bad input fails the copy too: the replica's verdict comes first
            }

            var result = await replicaWrite.ConfigureAwait(false);
            if (!result.IsSuccess || result.PointsWritten == 0)
            {
                return (result, false);
            }

            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            AddContinuousQueryUpserts(replica, pending, points);
            await ExecuteAsync(pending, token).ConfigureAwait(false);
            copied!.ApplyTo(replica);
            return (result, true);
        }, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<TimeSeriesQueryOutcome> QueryAsync(TimeSeriesQuery query, CancellationToken cancellationToken = default) =>
        await (await CurrentAsync(cancellationToken).ConfigureAwait(false)).QueryAsync(query, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public ValueTask<long> DeleteRangeAsync(string measurement, TimeRange range, IReadOnlyDictionary<string, string>? tagFilters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(measurement);
        return MutateAsync(async (replica, connection, transaction, token) =>
        {
            var deleted = await replica.Memory.DeleteRangeAsync(measurement, range, tagFilters, token).ConfigureAwait(false);
            if (deleted == 0)
            {
                return (0L, false);
            }

            var series = new List<int>();
            foreach (var ((name, tags), id) in replica.SeriesIds)
            {
                if (string.Equals(name, measurement, StringComparison.Ordinal) && tags.HasAll(tagFilters))
                {
                    series.Add(id);
                }
            }

            await RewriteChunksAsync(connection, transaction, range.Start.UtcTicks, range.End.UtcTicks, [.. series], token).ConfigureAwait(false);
            return (deleted, true);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<SeriesDescription>> DescribeSeriesAsync(string? measurement = null, CancellationToken cancellationToken = default) =>
        await (await CurrentAsync(cancellationToken).ConfigureAwait(false)).DescribeSeriesAsync(measurement, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<CardinalityReport> GetCardinalityAsync(string measurement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return await (await CurrentAsync(cancellationToken).ConfigureAwait(false)).GetCardinalityAsync(measurement, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<TimeSeriesWriteResult> WriteRollupsAsync(IReadOnlyList<RollupBucket> buckets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return MutateAsync(async (replica, connection, transaction, token) =>
        {
            var result = await replica.Memory.WriteRollupsAsync(buckets, token).ConfigureAwait(false);
            if (!result.IsSuccess || result.PointsWritten == 0)
            {
                return (result, false);
            }

            var keys = new RollupKeys();
            foreach (var bucket in buckets)
            {
                if (bucket.Stats.Count > 0)
                {
                    keys.Add(bucket.Measurement, bucket.Tags, bucket.Resolution.Ticks, bucket.Start.UtcTicks, bucket.Field);
                }
            }

            await using var upserts = new NpgsqlBatch(connection, transaction);
            AddRollupUpserts(replica, upserts, keys);
            await ExecuteAsync(upserts, token).ConfigureAwait(false);
            return (result, true);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>After retention (one transaction), the days that ended before <paramref name="now"/>'s UTC day are compacted (<see cref="CompactAsync"/>).</remarks>
    public async ValueTask<RetentionResult> ApplyRetentionAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = await RetainAsync(now, cancellationToken).ConfigureAwait(false);
        await CompactAsync(new DateTimeOffset(StoredChunk.DayOf(now.UtcTicks), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Merges the small chunks of every series in each UTC day that ended at or before <paramref name="closedBefore"/> into
    /// chunks of 1,024 points: writes append one chunk per series and day per batch (no read-modify-write on the write
    /// path), so a batch spread over many series leaves chunks of a few points, each with its row header, index entry and
    /// arrays too short for TOAST to compress; compaction brings a closed day to the chunked layout's size.
    /// </summary>
    /// <remarks>
    /// <see cref="ApplyRetentionAsync"/> runs it for the days before the current one, so a hub compacts on its retention
    /// interval. Each step (up to 256 series of one day) is its own transaction under the <c>ts_state</c> row lock, taking
    /// turns with writes, deletes and other passes; a step that fails or is killed stores nothing and leaves the chunks as
    /// they were, and running the pass again finishes the work (a compacted day has nothing left to merge). Points arriving
    /// late for a compacted day write a new chunk, which the next pass merges. Queries are unaffected: the stored points do
    /// not change, so replicas are not rebuilt.
    /// </remarks>
    /// <param name="closedBefore">Days ending at or before this instant are compacted.</param>
    /// <param name="cancellationToken">Stops the pass between steps (the step in flight rolls back).</param>
    /// <returns>How many chunk rows fewer the store holds.</returns>
    public async ValueTask<long> CompactAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _schemaGate.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var removed = 0L;
        foreach (var (day, series) in await CompactionCandidatesAsync(closedBefore.UtcTicks, cancellationToken).ConfigureAwait(false))
        {
            foreach (var step in series.Chunk(CompactionStep))
            {
                removed += await CompactSeriesAsync(day, step, cancellationToken).ConfigureAwait(false);
            }
        }

        return removed;
    }

    /// <summary>Series per compaction transaction: at 1,024 points a chunk, about a quarter of a million points held under the lock at most.</summary>
    private const int CompactionStep = 256;

    private ValueTask<RetentionResult> RetainAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        MutateAsync(async (replica, connection, transaction, token) =>
        {
            var result = await replica.Memory.ApplyRetentionAsync(now, token).ConfigureAwait(false);
            var plan = RetentionPlan.Create(_engineOptions.Retention, now);
            if (result.RawPointsDropped + result.RawPointsDownsampled > 0)
            {
                await DropRawBeforeAsync(replica, connection, transaction, plan.RawCutoff, token).ConfigureAwait(false);
            }

            await ReplaceRollupsAsync(replica, connection, transaction, null, token).ConfigureAwait(false);
            return (result, true);
        }, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Problem>> RegisterContinuousQueryAsync(ContinuousQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return MutateAsync(async (replica, connection, transaction, token) =>
        {
            var problems = await replica.Memory.RegisterContinuousQueryAsync(query, token).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                return (problems, false);
            }

            replica.AddContinuousQuery(query);
            await SaveContinuousQueryAsync(connection, transaction, query, token).ConfigureAwait(false);
            await ReplaceRollupsAsync(replica, connection, transaction, query.DestinationMeasurement, token).ConfigureAwait(false);
            return (problems, true);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveContinuousQueryAsync(string queryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queryId);
        return MutateAsync(async (replica, connection, transaction, token) =>
        {
            if (!await replica.Memory.RemoveContinuousQueryAsync(queryId, token).ConfigureAwait(false))
            {
                return (false, false);
            }

            replica.ContinuousQueries.Remove(queryId);
            await DeleteContinuousQueryAsync(connection, transaction, queryId, token).ConfigureAwait(false);
            return (true, true);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ContinuousQuery>> GetContinuousQueriesAsync(CancellationToken cancellationToken = default) =>
        await (await CurrentAsync(cancellationToken).ConfigureAwait(false)).GetContinuousQueriesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Releases the replica.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _replica, null)?.Memory.Dispose();
        _gate.Dispose();
    }

    /// <summary>The replica, rebuilt first when the tables changed since it was built (another host wrote, or a change of this one failed).</summary>
    private async ValueTask<InMemoryTimeSeriesStore> CurrentAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _schemaGate.EnsureAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _replica) is { } replica)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (await ReadVersionAsync(connection, null, false, cancellationToken).ConfigureAwait(false) == replica.Version)
            {
                return replica.Memory;
            }
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            var version = await ReadVersionAsync(connection, transaction, false, cancellationToken).ConfigureAwait(false);
            var current = await EnsureReplicaAsync(connection, transaction, version, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return current.Memory;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs one change: under this store's gate and the row lock of <c>ts_state</c>, with a current replica; the action
    /// applies the change to the replica and writes it to the tables, and says whether anything changed (a rejected change
    /// must leave the replica as it was). The version moves and the transaction commits only when something changed.
    /// </summary>
    private async ValueTask<T> MutateAsync<T>(Func<Replica, NpgsqlConnection, NpgsqlTransaction, CancellationToken, ValueTask<(T Result, bool Changed)>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _schemaGate.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // The row lock and the new version in one statement: a change that changes nothing rolls the bump back.
            long version;
            await using (var bump = new NpgsqlCommand($"UPDATE {_schema}.ts_state SET version = version + 1 RETURNING version - 1", connection, transaction))
            {
                version = (long)(await bump.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            var replica = await EnsureReplicaAsync(connection, transaction, version, cancellationToken).ConfigureAwait(false);
            try
            {
                var (result, changed) = await action(replica, connection, transaction, cancellationToken).ConfigureAwait(false);
                if (!changed)
                {
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    return result;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                replica.Version = version + 1;
                return result;
            }
            catch
            {
                // The replica may hold what the tables do not: drop it, the next call rebuilds it from the tables. It is
                // not disposed: a query may still be reading it.
                Interlocked.CompareExchange(ref _replica, null, replica);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<Replica> EnsureReplicaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long version, CancellationToken cancellationToken)
    {
        var replica = _replica;
        if (replica is not null && replica.Version == version)
        {
            return replica;
        }

        var loaded = await LoadAsync(connection, transaction, version, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _replica, loaded);
        return loaded;
    }

    private async ValueTask<long> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT version FROM {_schema}.ts_state{(forUpdate ? " FOR UPDATE" : "")}", connection, transaction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
