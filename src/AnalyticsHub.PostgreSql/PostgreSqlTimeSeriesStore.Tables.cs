using System.Globalization;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Statistics;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.TimeSeries;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.PostgreSql;

/// <content>The tables: loading the replica from them and writing each kind of change to them.</content>
public sealed partial class PostgreSqlTimeSeriesStore
{
    private const string ChunkColumns = "day, seq, series_id, ticks, fields, numbers, kinds, integers, texts";

    private const string RollupColumns =
        "measurement, tags, resolution, bucket_start, field, count, sum, compensation, mean, m2, min, max, exact_ends, first_ticks, first_value, last_ticks, last_value, sketch";

    /// <summary>Rebuilds the replica from the tables: series, chunks in write order, rollups, raw horizons, continuous queries.</summary>
    private async ValueTask<Replica> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long version, CancellationToken cancellationToken)
    {
        var replica = new Replica(new InMemoryTimeSeriesStore(_engineOptions), version);
        var series = new Dictionary<int, (string Measurement, TagSet Tags)>();
        await using (var command = new NpgsqlCommand($"SELECT series_id, measurement, tags FROM {_schema}.ts_series", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt32(0);
                var key = (Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(1)), SeriesTags.ToTagSet(SeriesTags.Decode(reader.GetFieldValue<byte[][]>(2))));
                series.Add(id, key);
                replica.SeriesIds.Add(key, id);
                replica.NextSeriesId = Math.Max(replica.NextSeriesId, id + 1);
            }
        }

        var points = new List<TimeSeriesPoint>(65_536);
        await using (var command = new NpgsqlCommand($"SELECT {ChunkColumns} FROM {_schema}.ts_chunks ORDER BY seq", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var chunk = ReadChunk(reader);
                var (measurement, tags) = series[chunk.SeriesId];
                for (var r = 0; r < chunk.Count; r++)
                {
                    points.Add(new TimeSeriesPoint { Measurement = measurement, Timestamp = new DateTimeOffset(chunk.Ticks[r], TimeSpan.Zero), Tags = tags, Fields = chunk.FieldsAt(r) });
                }

                if (points.Count >= 65_536)
                {
                    await RestorePointsAsync(replica.Memory, points, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await RestorePointsAsync(replica.Memory, points, cancellationToken).ConfigureAwait(false);

        await using (var command = new NpgsqlCommand($"SELECT {RollupColumns} FROM {_schema}.ts_rollups", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var stats = StreamingStats.FromParts(
                    (ulong)reader.GetInt64(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetDouble(10), reader.GetDouble(11));
                var cell = RollupCell.Restore(
                    stats, reader.GetFieldValue<byte[]>(17), reader.GetBoolean(12), reader.GetInt64(13), reader.GetDouble(14), reader.GetInt64(15), reader.GetDouble(16));
                replica.Memory.RestoreRollup(
                    Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0)), SeriesTags.Decode(reader.GetFieldValue<byte[][]>(1)),
                    reader.GetInt64(2), reader.GetInt64(3), Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(4)), cell);
            }
        }

        await using (var command = new NpgsqlCommand($"SELECT measurement, horizon FROM {_schema}.ts_raw_horizons", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                replica.Memory.RestoreRawHorizon(Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0)), reader.GetInt64(1));
            }
        }

        await using (var command = new NpgsqlCommand($"SELECT definition FROM {_schema}.ts_continuous_queries", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var query = JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(0), TimeSeriesJsonContext.Default.ContinuousQuery)
                    ?? throw new InvalidDataException("A stored continuous query is null.");
                if (replica.Memory.RestoreContinuousQuery(query) is { Count: > 0 } problems)
                {
                    throw new InvalidDataException($"The stored continuous query '{query.QueryId}' no longer compiles: {problems[0].Code} at {problems[0].Path}: {problems[0].Message}");
                }

                replica.AddContinuousQuery(query);
            }
        }

        return replica;
    }

    private static async ValueTask RestorePointsAsync(InMemoryTimeSeriesStore memory, List<TimeSeriesPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return;
        }

        var result = await memory.WritePointsAsync(points, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            var problem = result.Errors[0];
            throw new InvalidOperationException(
                $"The stored time series do not fit the configured limits (PostgreSqlOptions.TimeSeries): {problem.Code}: {problem.Message} Raise the limits to the stored data's.");
        }

        points.Clear();
    }

    private static StoredChunk ReadChunk(NpgsqlDataReader reader) => StoredChunk.Decode(
        reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetFieldValue<long[]>(3), reader.GetFieldValue<byte[][]>(4),
        reader.GetFieldValue<double?[]>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<byte[]>(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<long[]>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<byte[]>(8));

    /// <summary>Writes accepted points: new series first, then one chunk per series and day (split at 1,024), then the continuous queries' buckets they changed.</summary>
    private async ValueTask PersistPointsAsync(Replica replica, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<(int Series, long Day), List<TimeSeriesPoint>>();
        var created = new List<(int Id, string Measurement, TagSet Tags)>();
        var days = new SortedSet<long>();
        foreach (var point in points)
        {
            var key = (point.Measurement, point.Tags);
            if (!replica.SeriesIds.TryGetValue(key, out var id))
            {
                id = replica.NextSeriesId++;
                replica.SeriesIds.Add(key, id);
                created.Add((id, point.Measurement, point.Tags));
            }

            var day = StoredChunk.DayOf(point.Timestamp.UtcTicks);
            days.Add(day);
            if (!groups.TryGetValue((id, day), out var list))
            {
                list = [];
                groups.Add((id, day), list);
            }

            list.Add(point);
        }

        if (created.Count > 0)
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY {_schema}.ts_series (series_id, measurement, tags) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            foreach (var (id, measurement, tags) in created)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(id, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Encoding.UTF8.GetBytes(measurement), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(SeriesTags.Encode(tags.GetSortedPairs()), NpgsqlDbType.Array | NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await CreatePartitionsAsync(connection, transaction, days, cancellationToken).ConfigureAwait(false);
        var chunks = new List<StoredChunk>();
        foreach (var ((id, day), list) in groups)
        {
            chunks.AddRange(StoredChunk.Build(id, day, list));
        }

        await CopyChunksAsync(connection, chunks, keepSequence: false, cancellationToken).ConfigureAwait(false);
        if (replica.ContinuousQueries.Count > 0)
        {
            var keys = new RollupKeys();
            foreach (var plan in replica.ContinuousQueries.Values)
            {
                foreach (var point in points)
                {
                    if (!string.Equals(point.Measurement, plan.Definition.SourceMeasurement, StringComparison.Ordinal)
                        || !plan.Matches(point.Tags, static (t, key) => t.TryGetValue(key, out var value) ? value : null))
                    {
                        continue;
                    }

                    var group = plan.GroupTags(point.Tags, static (t, key) => t.TryGetValue(key, out var value) ? value : null);
                    var start = plan.BucketStart(point.Timestamp.UtcTicks);
                    foreach (var (field, value) in point.Fields)
                    {
                        if (plan.RollsField(field, value, out _))
                        {
                            keys.Add(plan.Definition.DestinationMeasurement, group, plan.WindowTicks, start, field);
                        }
                    }
                }
            }

            await UpsertRollupsAsync(replica, connection, transaction, keys, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the day partitions that do not exist yet (the caller holds the <c>ts_state</c> row lock, so no other writer races).</summary>
    private async ValueTask CreatePartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<long> days, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var day in days)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(string.Create(CultureInfo.InvariantCulture,
                $"CREATE TABLE IF NOT EXISTS {_schema}.{PartitionName(day)} PARTITION OF {_schema}.ts_chunks FOR VALUES FROM ({day}) TO ({day + TimeSpan.TicksPerDay})")));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string PartitionName(long day) => "ts_chunks_p" + new DateTime(day, DateTimeKind.Utc).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private async ValueTask CopyChunksAsync(NpgsqlConnection connection, List<StoredChunk> chunks, bool keepSequence, CancellationToken cancellationToken)
    {
        if (chunks.Count == 0)
        {
            return;
        }

        var columns = (keepSequence ? "seq, " : "") + "day, series_id, count, min_ticks, max_ticks, ticks, fields, numbers, kinds, integers, texts";
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {_schema}.ts_chunks ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var chunk in chunks)
        {
            var (fields, numbers, kinds, integers, texts) = chunk.Encode();
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            if (keepSequence)
            {
                await importer.WriteAsync(chunk.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await importer.WriteAsync(chunk.Day, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.SeriesId, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.Count, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.Ticks.Min(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.Ticks.Max(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.Ticks, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(fields, NpgsqlDbType.Array | NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(numbers, NpgsqlDbType.Array | NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(importer, kinds, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(importer, integers, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(importer, texts, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask WriteOrNullAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await importer.WriteAsync(value, type, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes the points in <c>[start, end)</c> of the given series (every series when null) from the chunks holding
    /// them: a chunk left empty is deleted, the others are written back with their sequence (their place in write order).
    /// </summary>
    private async ValueTask RewriteChunksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long start, long end, int[]? series, CancellationToken cancellationToken)
    {
        var touched = new List<StoredChunk>();
        await using (var command = new NpgsqlCommand(
            $"SELECT {ChunkColumns} FROM {_schema}.ts_chunks WHERE min_ticks < $1 AND max_ticks >= $2{(series is null ? "" : " AND series_id = ANY($3)")}", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = end });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = start });
            if (series is not null)
            {
                command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = series });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                touched.Add(ReadChunk(reader));
            }
        }

        if (touched.Count == 0)
        {
            return;
        }

        var kept = new List<StoredChunk>();
        foreach (var chunk in touched)
        {
            if (chunk.Without(start, end) is { } rest)
            {
                kept.Add(rest);
            }
        }

        await using (var delete = new NpgsqlCommand($"DELETE FROM {_schema}.ts_chunks c USING unnest($1::bigint[], $2::bigint[]) AS d(day, seq) WHERE c.day = d.day AND c.seq = d.seq", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. touched.Select(c => c.Day)] });
            delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. touched.Select(c => c.Sequence)] });
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CopyChunksAsync(connection, kept, keepSequence: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every raw point before <paramref name="cutoff"/>: whole day partitions are dropped, the chunks of the cutoff's day rewritten.</summary>
    private async ValueTask DropRawBeforeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long cutoff, CancellationToken cancellationToken)
    {
        var partitions = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema + ".ts_chunks" });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                if (DateTime.TryParseExact(name.AsSpan("ts_chunks_p".Length), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
                    && day.Ticks + TimeSpan.TicksPerDay <= cutoff)
                {
                    partitions.Add(name);
                }
            }
        }

        if (partitions.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var name in partitions)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"DROP TABLE {_schema}.{name}"));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await RewriteChunksAsync(connection, transaction, long.MinValue, cutoff, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the replica's current cells of the given buckets over the stored ones.</summary>
    private async ValueTask UpsertRollupsAsync(Replica replica, NpgsqlConnection connection, NpgsqlTransaction transaction, RollupKeys keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var entries = new List<InMemoryTimeSeriesStore.RollupEntry>(keys.Count);
        foreach (var (measurement, tags, resolution, start, field) in keys)
        {
            if (replica.Memory.FindRollup(measurement, tags, resolution, start, field) is { } cell)
            {
                entries.Add(new(measurement, tags, resolution, start, field, cell));
            }
        }

        await using (var stage = new NpgsqlCommand($"CREATE TEMP TABLE ts_rollups_stage (LIKE {_schema}.ts_rollups) ON COMMIT DROP", connection, transaction))
        {
            await stage.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CopyRollupsAsync(connection, "ts_rollups_stage", entries, cancellationToken).ConfigureAwait(false);
        await using var merge = new NpgsqlCommand($"""
            DELETE FROM {_schema}.ts_rollups r USING ts_rollups_stage s
            WHERE r.measurement = s.measurement AND r.tags = s.tags AND r.resolution = s.resolution AND r.bucket_start = s.bucket_start AND r.field = s.field;
            INSERT INTO {_schema}.ts_rollups SELECT * FROM ts_rollups_stage;
            DROP TABLE ts_rollups_stage;
            """, connection, transaction);
        await merge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the stored rollups (of one measurement, or all) and the raw horizons with the replica's.</summary>
    private async ValueTask ReplaceRollupsAsync(Replica replica, NpgsqlConnection connection, NpgsqlTransaction transaction, string? measurement, CancellationToken cancellationToken)
    {
        var entries = replica.Memory.ExportRollups();
        if (measurement is not null)
        {
            entries.RemoveAll(e => !string.Equals(e.Measurement, measurement, StringComparison.Ordinal));
        }

        await using (var delete = new NpgsqlCommand(
            measurement is null ? $"DELETE FROM {_schema}.ts_rollups; DELETE FROM {_schema}.ts_raw_horizons" : $"DELETE FROM {_schema}.ts_rollups WHERE measurement = $1", connection, transaction))
        {
            if (measurement is not null)
            {
                delete.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Encoding.UTF8.GetBytes(measurement) });
            }

            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CopyRollupsAsync(connection, _schema + ".ts_rollups", entries, cancellationToken).ConfigureAwait(false);
        if (measurement is null)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var (name, horizon) in replica.Memory.ExportRawHorizons())
            {
                var insert = new NpgsqlBatchCommand($"INSERT INTO {_schema}.ts_raw_horizons (measurement, horizon) VALUES ($1, $2)");
                insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Encoding.UTF8.GetBytes(name) });
                insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = horizon });
                batch.BatchCommands.Add(insert);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask CopyRollupsAsync(NpgsqlConnection connection, string table, List<InMemoryTimeSeriesStore.RollupEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} ({RollupColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var (measurement, tags, resolution, start, field, cell) in entries)
        {
            var stats = cell.Stats;
            var (sum, compensation, mean) = stats.RawParts;
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Encoding.UTF8.GetBytes(measurement), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(SeriesTags.Encode(tags), NpgsqlDbType.Array | NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(resolution, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(start, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Encoding.UTF8.GetBytes(field), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((long)stats.Count, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(sum, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(compensation, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(mean, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(stats.SumOfSquaredDeviations, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(stats.Min, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(stats.Max, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(cell.ExactEnds, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(cell.FirstTicks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(cell.First, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(cell.LastTicks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(cell.Last, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(cell.SketchBinary(), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SaveContinuousQueryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ContinuousQuery query, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {_schema}.ts_continuous_queries (query_id, definition) VALUES ($1, $2)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Encoding.UTF8.GetBytes(query.QueryId) });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = JsonSerializer.SerializeToUtf8Bytes(query, TimeSeriesJsonContext.Wire.ContinuousQuery) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DeleteContinuousQueryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string queryId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {_schema}.ts_continuous_queries WHERE query_id = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Encoding.UTF8.GetBytes(queryId) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The in-process replica of the tables at one version, with what writing to them needs.</summary>
    private sealed class Replica(InMemoryTimeSeriesStore memory, long version)
    {
        public InMemoryTimeSeriesStore Memory { get; } = memory;

        /// <summary>The <c>ts_state</c> version the replica reflects (set after a commit, read by queries without the gate).</summary>
        public long Version
        {
            get => Volatile.Read(ref field);
            set => Volatile.Write(ref field, value);
        } = version;

        /// <summary>The stored series' ids, by measurement and tags.</summary>
        public Dictionary<(string Measurement, TagSet Tags), int> SeriesIds { get; } = [];

        public int NextSeriesId { get; set; }

        /// <summary>The enabled continuous queries' plans, by id.</summary>
        public Dictionary<string, ContinuousQueryPlan> ContinuousQueries { get; } = new(StringComparer.Ordinal);

        public void AddContinuousQuery(ContinuousQuery query)
        {
            if (query.Enabled && ContinuousQueryPlan.TryCreate(query, out var plan, out _))
            {
                ContinuousQueries[query.QueryId] = plan!;
            }
        }
    }

    /// <summary>Distinct rollup bucket fields, by measurement, tag identity, resolution, start and field.</summary>
    private sealed class RollupKeys : IEnumerable<(string Measurement, IReadOnlyDictionary<string, string> Tags, long Resolution, long Start, string Field)>
    {
        private readonly Dictionary<(string, string, long, long, string), IReadOnlyDictionary<string, string>> _keys = [];

        public int Count => _keys.Count;

        public void Add(string measurement, IReadOnlyDictionary<string, string> tags, long resolution, long start, string field) =>
            _keys.TryAdd((measurement, RollupStore.Identity(tags, out _), resolution, start, field), tags);

        public IEnumerator<(string Measurement, IReadOnlyDictionary<string, string> Tags, long Resolution, long Start, string Field)> GetEnumerator()
        {
            foreach (var ((measurement, _, resolution, start, field), tags) in _keys)
            {
                yield return (measurement, tags, resolution, start, field);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
