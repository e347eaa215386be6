using System.Globalization;
using AnalyticsHub.Evaluation.TimeSeries;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.Evaluation.PostgreSql;

/// <summary>
/// <c>pg-ts-layout [points]</c>: bytes per point of the two candidate layouts for time-series points on PostgreSQL, on
/// the PERFORMANCE.md workload (<see cref="TimeSeriesWorkload"/>, 1,000,000 points by default, 600 series, 7 days):
/// <list type="bullet">
/// <item><c>rows</c>: one row per point with typed field columns (<c>series_id integer, ticks bigint, latency_ms double
/// precision, token_count bigint, cost_usd double precision</c>), partitioned by day, indexed on (series_id, ticks);</item>
/// <item><c>chunks</c>: one row per series and day chunk of at most 1,024 points, each column an array (<c>ticks bigint[],
/// latency_ms double precision[], ...</c>), partitioned by day, indexed on (series_id, chunk_start); measured with the
/// server's default TOAST compression (pglz) and with lz4.</item>
/// </list>
/// Each table is written with binary COPY in one pass, vacuumed, and measured with <c>pg_total_relation_size</c> over its
/// partitions (heap, TOAST and indexes). Checks: every layout holds every point, and the sums of each field agree with
/// the generated values (counted in SQL from each layout).
/// </summary>
/// <remarks>Reads the server from <c>ANALYTICSHUB_POSTGRES_TEST</c>; drops its schema at the end. A size, not a timing.</remarks>
internal static class PostgreSqlPointLayoutCommand
{
    private const int ChunkSize = 1_024;

    public static async Task<int> RunAsync(string[] args)
    {
        if (await PostgreSqlHarness.ConnectionStringAsync("pg-ts-layout").ConfigureAwait(false) is not { } connectionString)
        {
            return 2;
        }

        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var workload = TimeSeriesWorkload.Create(count);
        var schema = "eval_layout_" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await PostgreSqlHarness.ExecuteAsync(dataSource, $"CREATE SCHEMA {schema}").ConfigureAwait(false);
        try
        {
            var days = DayStarts();
            await CreateAsync(dataSource, schema, "rows", "series_id integer NOT NULL, ticks bigint NOT NULL, latency_ms double precision, token_count bigint, cost_usd double precision", "ticks", "(series_id, ticks)", days).ConfigureAwait(false);
            await PostgreSqlHarness.CopyPointRowsAsync(dataSource, $"{schema}.rows", workload, 0, workload.Count).ConfigureAwait(false);
            foreach (var compression in new[] { "pglz", "lz4" })
            {
                var table = "chunks_" + compression;
                await CreateAsync(dataSource, schema, table, $"series_id integer NOT NULL, chunk_start bigint NOT NULL, ticks bigint[] COMPRESSION {compression}, latency_ms double precision[] COMPRESSION {compression}, token_count bigint[] COMPRESSION {compression}, cost_usd double precision[] COMPRESSION {compression}", "chunk_start", "(series_id, chunk_start)", days).ConfigureAwait(false);
                await CopyChunksAsync(dataSource, $"{schema}.{table}", workload).ConfigureAwait(false);
            }

            await PostgreSqlHarness.ExecuteAsync(dataSource, $"VACUUM ANALYZE {schema}.rows, {schema}.chunks_pglz, {schema}.chunks_lz4").ConfigureAwait(false);
            var expected = (Latency: workload.Latency.Sum(), Tokens: workload.Tokens.Sum(), Cost: workload.Cost.Sum());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pg-ts-layout: {count:N0} points, {TimeSeriesWorkload.SeriesCount} series, 7 day partitions"));
            var ok = true;
            foreach (var table in new[] { "rows", "chunks_pglz", "chunks_lz4" })
            {
                var bytes = await PostgreSqlHarness.ScalarAsync<long>(dataSource, $"SELECT sum(pg_total_relation_size(relid))::bigint FROM pg_partition_tree('{schema}.{table}') WHERE isleaf").ConfigureAwait(false);
                var (points, latency, tokens, cost) = await SumsAsync(dataSource, schema, table).ConfigureAwait(false);
                var same = points == count && PostgreSqlHarness.Close(latency, expected.Latency) && tokens == expected.Tokens && PostgreSqlHarness.Close(cost, expected.Cost);
                ok &= same;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {table,-12} {bytes / 1e6,9:F1} MB  {(double)bytes / count,7:F2} B/point  points {points:N0}  sums {(same ? "equal" : "DIFFER")}"));
            }

            return ok ? 0 : 1;
        }
        finally
        {
            await PostgreSqlHarness.ExecuteAsync(dataSource, $"DROP SCHEMA {schema} CASCADE").ConfigureAwait(false);
        }
    }

    private static long[] DayStarts() =>
        [.. Enumerable.Range(0, 8).Select(d => TimeSeriesWorkload.Start.AddDays(d).UtcTicks)];

    private static async Task CreateAsync(NpgsqlDataSource dataSource, string schema, string table, string columns, string key, string index, long[] days)
    {
        await PostgreSqlHarness.ExecuteAsync(dataSource, $"CREATE TABLE {schema}.{table} ({columns}) PARTITION BY RANGE ({key})").ConfigureAwait(false);
        for (var d = 0; d + 1 < days.Length; d++)
        {
            await PostgreSqlHarness.ExecuteAsync(dataSource, string.Create(CultureInfo.InvariantCulture, $"CREATE TABLE {schema}.{table}_d{d} PARTITION OF {schema}.{table} FOR VALUES FROM ({days[d]}) TO ({days[d + 1]})")).ConfigureAwait(false);
        }

        await PostgreSqlHarness.ExecuteAsync(dataSource, $"CREATE INDEX ON {schema}.{table} {index}").ConfigureAwait(false);
    }

    /// <summary>Points grouped per series and UTC day in time order, cut into chunks of at most <see cref="ChunkSize"/>.</summary>
    private static async Task CopyChunksAsync(NpgsqlDataSource dataSource, string table, TimeSeriesWorkload workload)
    {
        var open = new Dictionary<(int Series, long Day), List<int>>();
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
        for (var i = 0; i < workload.Count; i++)
        {
            var key = ((int)workload.Series[i], workload.Ticks[i] / TimeSpan.TicksPerDay);
            if (!open.TryGetValue(key, out var rows))
            {
                open[key] = rows = new List<int>(ChunkSize);
            }

            rows.Add(i);
            if (rows.Count == ChunkSize)
            {
                await WriteChunkAsync(importer, key.Item1, rows, workload).ConfigureAwait(false);
                rows.Clear();
            }
        }

        foreach (var ((series, _), rows) in open)
        {
            if (rows.Count > 0)
            {
                await WriteChunkAsync(importer, series, rows, workload).ConfigureAwait(false);
            }
        }

        await importer.CompleteAsync().ConfigureAwait(false);
    }

    private static async Task WriteChunkAsync(NpgsqlBinaryImporter importer, int series, List<int> rows, TimeSeriesWorkload workload)
    {
        await importer.StartRowAsync().ConfigureAwait(false);
        await importer.WriteAsync(series, NpgsqlDbType.Integer).ConfigureAwait(false);
        await importer.WriteAsync(workload.Ticks[rows[0]], NpgsqlDbType.Bigint).ConfigureAwait(false);
        await importer.WriteAsync(rows.Select(r => workload.Ticks[r]).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint).ConfigureAwait(false);
        await importer.WriteAsync(rows.Select(r => workload.Latency[r]).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double).ConfigureAwait(false);
        await importer.WriteAsync(rows.Select(r => workload.Tokens[r]).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint).ConfigureAwait(false);
        await importer.WriteAsync(rows.Select(r => workload.Cost[r]).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double).ConfigureAwait(false);
    }

    private static async Task<(long Points, double Latency, long Tokens, double Cost)> SumsAsync(NpgsqlDataSource dataSource, string schema, string table)
    {
        var sql = table == "rows"
            ? $"SELECT count(*)::bigint, sum(latency_ms), sum(token_count)::bigint, sum(cost_usd) FROM {schema}.rows"
            : $"""
                SELECT (SELECT sum(cardinality(ticks))::bigint FROM {schema}.{table}),
                       (SELECT sum(v) FROM {schema}.{table}, unnest(latency_ms) v),
                       (SELECT sum(v)::bigint FROM {schema}.{table}, unnest(token_count) v),
                       (SELECT sum(v) FROM {schema}.{table}, unnest(cost_usd) v)
                """;
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetDouble(1), reader.GetInt64(2), reader.GetDouble(3));
    }
}
