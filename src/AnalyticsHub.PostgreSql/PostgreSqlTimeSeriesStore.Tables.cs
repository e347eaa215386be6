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
                var chunk = StoredChunk.Decode(ReadRow(reader));
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

    private static ChunkRow ReadRow(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetFieldValue<long[]>(3), reader.GetFieldValue<byte[][]>(4),
        null, reader.GetFieldValue<double?[]>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<byte[]>(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<long[]>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<byte[]>(8));

    /// <summary>
    /// Writes points: new series first, then one chunk per series and day (split at 1,024). A write of up to
    /// <see cref="StatementChunks"/> chunks only adds its statements to <paramref name="pending"/>, which the caller sends
    /// with the continuous queries' upserts in one round trip; a larger one is copied at once, each chunk encoded as the
    /// COPY asks for it (the server parses the rows sent so far while the next are encoded). The replica is not changed:
    /// the result says what to add to it once the batch is accepted.
    /// </summary>
    private async ValueTask<CopiedPoints> CopyPointsAsync(Replica replica, NpgsqlConnection connection, NpgsqlBatch pending, IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<(int Series, long Day), List<(long Ticks, FieldSet Fields)>>();
        var copied = new CopiedPoints(replica.NextSeriesId);
        // Producers share a series' tag set between its points: a lookup by reference skips hashing and comparing tags.
        var byReference = new Dictionary<TagSet, (string Measurement, int Id)>(ReferenceEqualityComparer.Instance);
        var lastDay = long.MinValue;
        foreach (var point in points)
        {
            if (!byReference.TryGetValue(point.Tags, out var known) || !string.Equals(known.Measurement, point.Measurement, StringComparison.Ordinal))
            {
                var key = (point.Measurement, point.Tags);
                if (!replica.SeriesIds.TryGetValue(key, out var found) && !copied.SeriesIds.TryGetValue(key, out found))
                {
                    found = copied.NextSeriesId++;
                    copied.SeriesIds.Add(key, found);
                    copied.Created.Add((found, point.Measurement, point.Tags));
                }

                known = (point.Measurement, found);
                byReference[point.Tags] = known;
            }

            var id = known.Id;
            var ticks = point.Timestamp.UtcTicks;
            var day = StoredChunk.DayOf(ticks);
            if (day != lastDay)
            {
                if (!replica.Partitions.Contains(day))
                {
                    copied.Days.Add(day);
                }

                lastDay = day;
            }

            if (!groups.TryGetValue((id, day), out var list))
            {
                list = [];
                groups.Add((id, day), list);
            }

            list.Add((ticks, point.Fields));
        }

        var chunkCount = 0;
        foreach (var list in groups.Values)
        {
            chunkCount += (list.Count + StoredChunk.Capacity - 1) / StoredChunk.Capacity;
        }

        if (chunkCount <= StatementChunks)
        {
            if (copied.Created.Count > 0)
            {
                pending.BatchCommands.Add(SeriesInsert(copied.Created));
            }

            AddPartitions(pending, copied.Days);
            pending.BatchCommands.Add(ChunkInsert(groups.SelectMany(group => ChunkRow.Build(group.Key.Series, group.Key.Day, group.Value))));
            return copied;
        }

        if (copied.Created.Count > 0)
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY {_schema}.ts_series (series_id, measurement, tags) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            foreach (var (id, measurement, tags) in copied.Created)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(id, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Encoding.UTF8.GetBytes(measurement), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(SeriesTags.Encode(tags.GetSortedPairs()), NpgsqlDbType.Array | NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        AddPartitions(pending, copied.Days);
        await ExecuteAsync(pending, cancellationToken).ConfigureAwait(false); // the partitions, before rows are copied into them
        await CopyChunksAsync(connection, groups.SelectMany(group => ChunkRow.Build(group.Key.Series, group.Key.Day, group.Value)), keepSequence: false, cancellationToken).ConfigureAwait(false);
        return copied;
    }

    /// <summary>Chunks up to which a write sends INSERT statements with its other statements rather than a COPY of its own (two round trips more).</summary>
    private const int StatementChunks = 64;

    /// <summary>Runs the batch's statements, if any, and empties it.</summary>
    private static async ValueTask ExecuteAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            batch.BatchCommands.Clear();
        }
    }

    private NpgsqlBatchCommand SeriesInsert(List<(int Id, string Measurement, TagSet Tags)> created)
    {
        var values = new StringBuilder();
        var command = new NpgsqlBatchCommand();
        foreach (var (id, measurement, tags) in created)
        {
            var n = command.Parameters.Count;
            values.Append(values.Length == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(${n + 1}, ${n + 2}, ${n + 3})");
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Encoding.UTF8.GetBytes(measurement) });
            command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = SeriesTags.Encode(tags.GetSortedPairs()) });
        }

        command.CommandText = $"INSERT INTO {_schema}.ts_series (series_id, measurement, tags) VALUES {values}";
        return command;
    }

    /// <summary>One INSERT of the rows, with the columns <see cref="CopyChunksAsync"/> copies.</summary>
    private NpgsqlBatchCommand ChunkInsert(IEnumerable<ChunkRow> rows)
    {
        var values = new StringBuilder();
        var command = new NpgsqlBatchCommand();
        foreach (var row in rows)
        {
            var n = command.Parameters.Count;
            values.Append(values.Length == 0 ? "" : ", ").Append('(');
            for (var c = 1; c <= 11; c++)
            {
                values.Append(c == 1 ? "$" : ", $").Append(n + c);
            }

            values.Append(')');
            var (min, max) = row.TimeBounds();
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = row.Day });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.SeriesId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.Count });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = min });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = max });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = row.Ticks });
            command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = row.Fields });
            command.Parameters.Add(row.Numbers is { } numbers ? new NpgsqlParameter<double[]> { TypedValue = numbers } : new NpgsqlParameter<double?[]> { TypedValue = row.NumbersWithNulls });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = (object?)row.Kinds ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = (object?)row.Integers ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = (object?)row.Texts ?? DBNull.Value });
        }

        command.CommandText = $"INSERT INTO {_schema}.ts_chunks (day, series_id, count, min_ticks, max_ticks, ticks, fields, numbers, kinds, integers, texts) VALUES {values}";
        return command;
    }

    /// <summary>Adds the upserts of the continuous queries' destination buckets that accepted points changed (the replica already holds them).</summary>
    private void AddContinuousQueryUpserts(Replica replica, NpgsqlBatch pending, IReadOnlyList<TimeSeriesPoint> points)
    {
        if (replica.ContinuousQueries.Count == 0)
        {
            return;
        }

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

        AddRollupUpserts(replica, pending, keys);
    }

    /// <summary>
    /// Merges, in one transaction under the <c>ts_state</c> row lock, the chunks under 1,024 points of the given series in
    /// one day into full ones (and at most one remainder per series; see <see cref="MergeRows"/>), written as new chunks,
    /// which take the newest sequences: among points of one series at the same tick, a full chunk written between them now
    /// reads first, the only order that changes. The stored points do not change, so the
    /// version does not move and no replica is rebuilt. Returns how many chunk rows fewer the day holds.
    /// </summary>
    private async ValueTask<long> CompactSeriesAsync(long day, int[] series, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ReadVersionAsync(connection, transaction, true, cancellationToken).ConfigureAwait(false);
        var merging = new Dictionary<int, List<ChunkRow>>();
        await using (var command = new NpgsqlCommand(
            $"SELECT {ChunkColumns} FROM {_schema}.ts_chunks WHERE day = $1 AND series_id = ANY($2) AND count < {StoredChunk.Capacity} ORDER BY seq", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = day });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = series });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = ReadRow(reader);
                if (!merging.TryGetValue(row.SeriesId, out var list))
                {
                    list = [];
                    merging.Add(row.SeriesId, list);
                }

                list.Add(row);
            }
        }

        var merged = new List<ChunkRow>();
        var removed = new List<ChunkRow>();
        foreach (var (id, rows) in merging)
        {
            if (rows.Count < 2)
            {
                continue; // compacted meanwhile (another pass), or a single remainder: nothing to merge
            }

            removed.AddRange(rows);
            merged.AddRange(MergeRows(id, day, rows));
        }

        if (removed.Count == 0)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        }

        await DeleteChunksAsync(connection, transaction, removed, cancellationToken).ConfigureAwait(false);
        await CopyChunksAsync(connection, merged, keepSequence: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed.Count - merged.Count;
    }

    /// <summary>
    /// A series' chunks of one day, in write order, as full chunks. When their time ranges follow each other (the usual
    /// case: batches arrive in time order) the columns are concatenated as stored, nothing decoded; when they overlap the
    /// points are decoded and stably sorted by time (ties keep write order), so the merged chunks cover disjoint ranges
    /// that prune well.
    /// </summary>
    internal static IEnumerable<ChunkRow> MergeRows(int seriesId, long day, List<ChunkRow> rows)
    {
        if (ChunkRow.InTimeOrder(rows))
        {
            return ChunkRow.Concatenate(rows, StoredChunk.Capacity);
        }

        var points = new List<(long Ticks, FieldSet Fields)>();
        foreach (var row in rows)
        {
            var chunk = StoredChunk.Decode(row);
            for (var r = 0; r < chunk.Count; r++)
            {
                points.Add((chunk.Ticks[r], chunk.FieldsAt(r)));
            }
        }

        var ordered = points.Select((point, index) => (point, index)).OrderBy(p => p.point.Ticks).ThenBy(p => p.index).Select(p => p.point).ToList();
        return ChunkRow.Build(seriesId, day, ordered);
    }

    /// <summary>The series of each day ending at or before <paramref name="cutoff"/> that hold two or more chunks under 1,024 points, by day.</summary>
    private async ValueTask<List<(long Day, List<int> Series)>> CompactionCandidatesAsync(long cutoff, CancellationToken cancellationToken)
    {
        var candidates = new List<(long Day, List<int> Series)>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            SELECT day, series_id FROM {_schema}.ts_chunks WHERE day <= $1 AND count < {StoredChunk.Capacity}
            GROUP BY day, series_id HAVING count(*) > 1 ORDER BY day, series_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff - TimeSpan.TicksPerDay });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var day = reader.GetInt64(0);
            if (candidates.Count == 0 || candidates[^1].Day != day)
            {
                candidates.Add((day, []));
            }

            candidates[^1].Series.Add(reader.GetInt32(1));
        }

        return candidates;
    }

    private async ValueTask DeleteChunksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<ChunkRow> chunks, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand($"DELETE FROM {_schema}.ts_chunks c USING unnest($1::bigint[], $2::bigint[]) AS d(day, seq) WHERE c.day = d.day AND c.seq = d.seq", connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. chunks.Select(c => c.Day)] });
        delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. chunks.Select(c => c.Sequence)] });
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the creation of day partitions that do not exist yet (the caller holds the <c>ts_state</c> row lock, so no other writer races).</summary>
    private void AddPartitions(NpgsqlBatch pending, IEnumerable<long> days)
    {
        foreach (var day in days)
        {
            pending.BatchCommands.Add(new NpgsqlBatchCommand(string.Create(CultureInfo.InvariantCulture,
                $"CREATE TABLE IF NOT EXISTS {_schema}.{PartitionName(day)} PARTITION OF {_schema}.ts_chunks FOR VALUES FROM ({day}) TO ({day + TimeSpan.TicksPerDay})")));
        }
    }

    private static string PartitionName(long day) => "ts_chunks_p" + new DateTime(day, DateTimeKind.Utc).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private async ValueTask CopyChunksAsync(NpgsqlConnection connection, IEnumerable<ChunkRow> chunks, bool keepSequence, CancellationToken cancellationToken)
    {
        using var rows = chunks.GetEnumerator();
        if (!rows.MoveNext())
        {
            return;
        }

        var columns = (keepSequence ? "seq, " : "") + "day, series_id, count, min_ticks, max_ticks, ticks, fields, numbers, kinds, integers, texts";
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {_schema}.ts_chunks ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        do
        {
            var chunk = rows.Current;
            var (min, max) = chunk.TimeBounds();
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            if (keepSequence)
            {
                await importer.WriteAsync(chunk.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await importer.WriteAsync(chunk.Day, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.SeriesId, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.Count, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(min, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(max, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.Ticks, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(chunk.Fields, NpgsqlDbType.Array | NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await (chunk.Numbers is { } numbers
                ? importer.WriteAsync(numbers, NpgsqlDbType.Array | NpgsqlDbType.Double, cancellationToken)
                : importer.WriteAsync(chunk.NumbersWithNulls, NpgsqlDbType.Array | NpgsqlDbType.Double, cancellationToken)).ConfigureAwait(false);
            await WriteOrNullAsync(importer, chunk.Kinds, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(importer, chunk.Integers, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(importer, chunk.Texts, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }
        while (rows.MoveNext());

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
        var touched = new List<ChunkRow>();
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
                touched.Add(ReadRow(reader));
            }
        }

        if (touched.Count == 0)
        {
            return;
        }

        var kept = new List<ChunkRow>();
        foreach (var row in touched)
        {
            if (StoredChunk.Decode(row).PointsOutside(start, end) is { Count: > 0 } rest)
            {
                kept.Add(ChunkRow.Build(row.SeriesId, row.Day, rest).Single().WithSequence(row.Sequence));
            }
        }

        await DeleteChunksAsync(connection, transaction, touched, cancellationToken).ConfigureAwait(false);
        await CopyChunksAsync(connection, kept, keepSequence: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every raw point before <paramref name="cutoff"/>: whole day partitions are dropped, the chunks of the cutoff's day rewritten.</summary>
    private async ValueTask DropRawBeforeAsync(Replica replica, NpgsqlConnection connection, NpgsqlTransaction transaction, long cutoff, CancellationToken cancellationToken)
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
                    replica.Partitions.Remove(day.Ticks);
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

    /// <summary>Adds the upserts writing the replica's current cells of the given buckets over the stored ones (one statement per cell, sent in one round trip: a write touches few buckets, and a staging table would cost catalog writes).</summary>
    private void AddRollupUpserts(Replica replica, NpgsqlBatch pending, RollupKeys keys)
    {
        var assignments = string.Join(", ", RollupColumns.Split(", ").Skip(5).Select(c => $"{c} = excluded.{c}"));
        foreach (var (measurement, tags, resolution, start, field) in keys)
        {
            if (replica.Memory.FindRollup(measurement, tags, resolution, start, field) is not { } cell)
            {
                continue;
            }

            var upsert = new NpgsqlBatchCommand($"""
                INSERT INTO {_schema}.ts_rollups ({RollupColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                ON CONFLICT (measurement, tags, resolution, bucket_start, field) DO UPDATE SET {assignments}
                """);
            foreach (var parameter in RollupParameters(new(measurement, tags, resolution, start, field, cell)))
            {
                upsert.Parameters.Add(parameter);
            }

            pending.BatchCommands.Add(upsert);
        }
    }

    /// <summary>A cell's row, in the order of <see cref="RollupColumns"/>.</summary>
    private static NpgsqlParameter[] RollupParameters(InMemoryTimeSeriesStore.RollupEntry entry)
    {
        var (measurement, tags, resolution, start, field, cell) = entry;
        var stats = cell.Stats;
        var (sum, compensation, mean) = stats.RawParts;
        return
        [
            new NpgsqlParameter<byte[]> { TypedValue = Encoding.UTF8.GetBytes(measurement) },
            new NpgsqlParameter<byte[][]> { TypedValue = SeriesTags.Encode(tags) },
            new NpgsqlParameter<long> { TypedValue = resolution },
            new NpgsqlParameter<long> { TypedValue = start },
            new NpgsqlParameter<byte[]> { TypedValue = Encoding.UTF8.GetBytes(field) },
            new NpgsqlParameter<long> { TypedValue = (long)stats.Count },
            new NpgsqlParameter<double> { TypedValue = sum },
            new NpgsqlParameter<double> { TypedValue = compensation },
            new NpgsqlParameter<double> { TypedValue = mean },
            new NpgsqlParameter<double> { TypedValue = stats.SumOfSquaredDeviations },
            new NpgsqlParameter<double> { TypedValue = stats.Min },
            new NpgsqlParameter<double> { TypedValue = stats.Max },
            new NpgsqlParameter<bool> { TypedValue = cell.ExactEnds },
            new NpgsqlParameter<long> { TypedValue = cell.FirstTicks },
            new NpgsqlParameter<double> { TypedValue = cell.First },
            new NpgsqlParameter<long> { TypedValue = cell.LastTicks },
            new NpgsqlParameter<double> { TypedValue = cell.Last },
            new NpgsqlParameter<byte[]> { TypedValue = cell.SketchBinary() },
        ];
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
        foreach (var entry in entries)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            foreach (var parameter in RollupParameters(entry))
            {
                var write = parameter switch
                {
                    NpgsqlParameter<byte[]> bytes => importer.WriteAsync(bytes.TypedValue, NpgsqlDbType.Bytea, cancellationToken),
                    NpgsqlParameter<byte[][]> tags => importer.WriteAsync(tags.TypedValue, NpgsqlDbType.Array | NpgsqlDbType.Bytea, cancellationToken),
                    NpgsqlParameter<long> integer => importer.WriteAsync(integer.TypedValue, NpgsqlDbType.Bigint, cancellationToken),
                    NpgsqlParameter<double> number => importer.WriteAsync(number.TypedValue, NpgsqlDbType.Double, cancellationToken),
                    NpgsqlParameter<bool> flag => importer.WriteAsync(flag.TypedValue, NpgsqlDbType.Boolean, cancellationToken),
                    _ => throw new InvalidOperationException("Unexpected rollup column type."),
                };
                await write.ConfigureAwait(false);
            }
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

        /// <summary>The day partitions of <c>ts_chunks</c> known to exist (starts, UTC ticks).</summary>
        public HashSet<long> Partitions { get; } = [];

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

    /// <summary>What copying a batch's points adds to the replica's bookkeeping, kept once the replica accepted the batch.</summary>
    private sealed class CopiedPoints(int nextSeriesId)
    {
        public Dictionary<(string Measurement, TagSet Tags), int> SeriesIds { get; } = [];

        public List<(int Id, string Measurement, TagSet Tags)> Created { get; } = [];

        public int NextSeriesId { get; set; } = nextSeriesId;

        /// <summary>The day partitions created (starts, UTC ticks).</summary>
        public SortedSet<long> Days { get; } = [];

        public void ApplyTo(Replica replica)
        {
            foreach (var (key, id) in SeriesIds)
            {
                replica.SeriesIds.Add(key, id);
            }

            replica.NextSeriesId = NextSeriesId;
            replica.Partitions.UnionWith(Days); // a failed commit drops the replica, and with it this set
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
