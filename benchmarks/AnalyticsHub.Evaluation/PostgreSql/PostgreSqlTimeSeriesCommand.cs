using System.Diagnostics;
using System.Globalization;
using System.Text;
using AnalyticsHub.Evaluation.TimeSeries;
using AnalyticsHub.Events;
using AnalyticsHub.PostgreSql;
using AnalyticsHub.TimeSeries;
using Npgsql;

namespace AnalyticsHub.Evaluation.PostgreSql;

/// <summary>
/// <c>pg-ts [points] [copy-sample] [runs]</c>: the PostgreSQL time-series store's harness, on the PERFORMANCE.md workload
/// (<see cref="TimeSeriesWorkload"/>, 10,000,000 points by default, 600 series, 7 days):
/// <list type="number">
/// <item>ingest ratio: the first <c>copy-sample</c> points (1,000,000) in batches of 10,000, each batch copied with plain
/// binary COPY into an unindexed one-row-per-point table and written through <see cref="PostgreSqlTimeSeriesStore.WritePointsAsync"/>
/// into a fresh schema, same run (target: the store at least 0.5x plain COPY); then the compaction of the sample's days
/// (<see cref="PostgreSqlTimeSeriesStore.CompactAsync"/>), timed apart and also added to the store's time;</item>
/// <item>all points written through the store into a second schema and compacted; bytes per point of <c>ts_series</c> and
/// <c>ts_chunks</c>; the time a new store on the schema takes to rebuild its replica (a restart);</item>
/// <item>Q1 (one model, last 24 h, 5-minute buckets, avg + exact p95 + count) and Q2 (7 days, group by model x hour,
/// same aggregates) through the store and written by hand in SQL on the same tables (<c>unnest</c> of the chunk arrays,
/// <c>percentile_cont</c>), <c>runs</c> times each (11), medians printed; the results are compared row by row (counts
/// exactly, averages and p95 within 1e-9 relative).</item>
/// </list>
/// </summary>
/// <remarks>
/// The server comes from <c>ANALYTICSHUB_POSTGRES_TEST</c>. Timings mean something only on a quiet machine;
/// <c>pg-ts 20000 5000 3</c> is the quick correctness run. The schemas are dropped at the end.
/// </remarks>
internal static class PostgreSqlTimeSeriesCommand
{
    private const int BatchSize = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        if (await PostgreSqlHarness.ConnectionStringAsync("pg-ts").ConfigureAwait(false) is not { } connectionString)
        {
            return 2;
        }

        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        var sample = Math.Min(count, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000);
        var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 11;
        var workload = TimeSeriesWorkload.Create(count);
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var plainSchema = "eval_ts_plain_" + stamp;
        var ratioSchema = "eval_ts_ratio_" + stamp;
        var schema = "eval_ts_" + stamp;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        await using var dataSource = builder.Build();
        await PostgreSqlHarness.ExecuteAsync(dataSource, $"CREATE SCHEMA {plainSchema}; CREATE TABLE {plainSchema}.points (series_id integer, ticks bigint, latency_ms double precision, token_count bigint, cost_usd double precision)").ConfigureAwait(false);
        try
        {
            // 1. Ingest ratio on the sample, batch by batch in the same run.
            TimeSpan copyTime = TimeSpan.Zero, storeTime = TimeSpan.Zero, compactTime;
            using (var ratioStore = new PostgreSqlTimeSeriesStore(dataSource, new PostgreSqlOptions { Schema = ratioSchema }))
            {
                await ratioStore.DescribeSeriesAsync().ConfigureAwait(false); // migrates and builds the (empty) replica outside the timing
                for (var from = 0; from < sample; from += BatchSize)
                {
                    var n = Math.Min(BatchSize, sample - from);
                    copyTime += await PlainCopyAsync(dataSource, $"{plainSchema}.points", workload, from, n).ConfigureAwait(false);
                    var points = workload.Points(from, n);
                    var started = Stopwatch.GetTimestamp();
                    Check((await ratioStore.WritePointsAsync(points).ConfigureAwait(false)).PointsWritten == n, "a sample batch was not written whole");
                    storeTime += Stopwatch.GetElapsedTime(started);
                }

                var compacting = Stopwatch.GetTimestamp();
                await ratioStore.CompactAsync(DateTimeOffset.MaxValue).ConfigureAwait(false);
                compactTime = Stopwatch.GetElapsedTime(compacting);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pg-ts: ingest of {sample:N0} points: plain COPY {sample / copyTime.TotalSeconds:N0} points/s, store {sample / storeTime.TotalSeconds:N0} points/s, ratio {copyTime / storeTime:F2}x (target >= 0.5x)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pg-ts: compaction of the sample's days {sample / compactTime.TotalSeconds:N0} points/s; ingest and compaction together {copyTime / (storeTime + compactTime):F2}x plain COPY"));

            // 2. Everything through the store; size; rebuild time of a new store on the schema.
            using (var store = new PostgreSqlTimeSeriesStore(dataSource, new PostgreSqlOptions { Schema = schema }))
            {
                for (var from = 0; from < count; from += BatchSize)
                {
                    Check((await store.WritePointsAsync(workload.Points(from, Math.Min(BatchSize, count - from))).ConfigureAwait(false)).IsSuccess, "a batch was rejected");
                }

                await store.CompactAsync(DateTimeOffset.MaxValue).ConfigureAwait(false); // every day, as a hub's retention runs compact the closed ones
            }

            await PostgreSqlHarness.ExecuteAsync(dataSource, $"VACUUM ANALYZE {schema}.ts_chunks, {schema}.ts_series").ConfigureAwait(false);
            var bytes = await PostgreSqlHarness.ScalarAsync<long>(dataSource,
                $"SELECT (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('{schema}.ts_chunks'))::bigint + pg_total_relation_size('{schema}.ts_series')").ConfigureAwait(false);
            var stored = await PostgreSqlHarness.ScalarAsync<long>(dataSource, $"SELECT sum(count)::bigint FROM {schema}.ts_chunks").ConfigureAwait(false);
            Check(stored == count, $"the chunks hold {stored} points, not {count}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pg-ts: {count:N0} points stored in {bytes / 1e6:F1} MB, {(double)bytes / count:F1} B/point (ts_chunks with TOAST and index, ts_series)"));

            using var restarted = new PostgreSqlTimeSeriesStore(dataSource, new PostgreSqlOptions { Schema = schema });
            var rebuild = Stopwatch.GetTimestamp();
            var series = await restarted.DescribeSeriesAsync().ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pg-ts: a new store rebuilt its replica ({series.Sum(s => s.PointCount):N0} points) in {Stopwatch.GetElapsedTime(rebuild).TotalSeconds:F2} s"));
            Check(series.Sum(s => s.PointCount) == count, "the rebuilt replica lacks points");

            // 3. Q1 and Q2: the store against the same queries written by hand in SQL on the same tables.
            var q1 = new TimeSeriesQuery
            {
                Measurement = TimeSeriesWorkload.Measurement,
                TimeRange = new TimeRange(TimeSeriesWorkload.End.AddDays(-1), TimeSeriesWorkload.End),
                TagFilters = new Dictionary<string, string> { ["model_id"] = "model-03" },
                Aggregations = TimeSeriesWorkload.Aggregations("5m"),
            };
            var q2 = TimeSeriesWorkload.Q2(TimeSeriesWorkload.Measurement, new TimeRange(TimeSeriesWorkload.Start, TimeSeriesWorkload.End), PercentileMode.Exact);
            var ok = true;
            foreach (var (name, query, width, model) in new[] { ("Q1", q1, TimeSpan.FromMinutes(5), "model-03"), ("Q2", q2, TimeSpan.FromHours(1), (string?)null) })
            {
                var sql = HandWritten(schema, model is not null);
                var ours = new List<double>();
                var theirs = new List<double>();
                TimeSeriesResult? result = null;
                List<Row>? rows = null;
                for (var r = 0; r < runs; r++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var outcome = await restarted.QueryAsync(query).ConfigureAwait(false);
                    ours.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    result = outcome.Result ?? throw new InvalidOperationException(outcome.Errors[0].Message);
                    started = Stopwatch.GetTimestamp();
                    rows = await RunSqlAsync(dataSource, sql, query.TimeRange, width, model).ConfigureAwait(false);
                    theirs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                var equal = Compare(name, result!, rows!, model);
                ok &= equal;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"pg-ts: {name} store median {Median(ours):F1} ms, hand-written SQL median {Median(theirs):F1} ms ({Median(ours) / Median(theirs):F3}x), {rows!.Count} rows {(equal ? "equal" : "DIFFER")}"));
            }

            return ok ? 0 : 1;
        }
        finally
        {
            await PostgreSqlHarness.ExecuteAsync(dataSource, $"DROP SCHEMA IF EXISTS {plainSchema} CASCADE; DROP SCHEMA IF EXISTS {ratioSchema} CASCADE; DROP SCHEMA IF EXISTS {schema} CASCADE").ConfigureAwait(false);
        }
    }

    private readonly record struct Row(string Model, long Bucket, double Avg, double P95, long Count);

    /// <summary>The query by hand: the field's slice of each chunk's <c>numbers</c> unnested beside its ticks, chunks pruned by their time bounds.</summary>
    private static string HandWritten(string schema, bool oneModel) => $"""
        WITH m AS (
            SELECT s.series_id, convert_from(substring(t FROM 10), 'UTF8') AS model
            FROM {schema}.ts_series s, unnest(s.tags) t
            WHERE s.measurement = convert_to('llm_request', 'UTF8') AND substring(t FROM 1 FOR 9) = $4{(oneModel ? " AND t = $5" : "")})
        SELECT m.model, u.t - (u.t % $3) AS b, avg(u.v), percentile_cont(0.95) WITHIN GROUP (ORDER BY u.v), count(u.v)
        FROM m
        JOIN {schema}.ts_chunks c ON c.series_id = m.series_id AND c.max_ticks >= $1 AND c.min_ticks < $2
        CROSS JOIN LATERAL (SELECT array_position(c.fields, convert_to('latency_ms', 'UTF8')) AS f) p
        CROSS JOIN LATERAL unnest(c.ticks, c.numbers[(p.f - 1) * c.count + 1 : p.f * c.count]) AS u(t, v)
        WHERE u.t >= $1 AND u.t < $2 AND u.v IS NOT NULL
        GROUP BY m.model, b
        ORDER BY m.model COLLATE "C", b
        """;

    private static async Task<List<Row>> RunSqlAsync(NpgsqlDataSource dataSource, string sql, TimeRange range, TimeSpan width, string? model)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.Start.UtcTicks });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.End.UtcTicks });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = width.Ticks });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = [.. Encoding.UTF8.GetBytes("model_id"), 0xFF] });
        if (model is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = [.. Encoding.UTF8.GetBytes("model_id"), 0xFF, .. Encoding.UTF8.GetBytes(model)] });
        }

        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows.Add(new Row(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }

        return rows;
    }

    private static bool Compare(string name, TimeSeriesResult ours, List<Row> sql, string? model)
    {
        var index = 0;
        foreach (var series in ours.Series)
        {
            var group = model ?? series.Tags["model_id"];
            foreach (var point in series.Points)
            {
                if (index >= sql.Count)
                {
                    Console.WriteLine($"pg-ts: {name}: the store has more rows than SQL ({sql.Count})");
                    return false;
                }

                var row = sql[index++];
                point.Values["latency_ms_mean"]!.Value.TryGetDouble(out var avg);
                point.Values["latency_ms_p95"]!.Value.TryGetDouble(out var p95);
                point.Values["latency_ms_count"]!.Value.TryGetInt64(out var n);
                if (row.Model != group || row.Bucket != point.Timestamp.UtcTicks || row.Count != n || !PostgreSqlHarness.Close(row.Avg, avg) || !PostgreSqlHarness.Close(row.P95, p95))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"pg-ts: {name} differs at {group} {point.Timestamp:O}: SQL ({row.Model} {row.Bucket} avg {row.Avg:R} p95 {row.P95:R} n {row.Count}) vs store (avg {avg:R} p95 {p95:R} n {n})"));
                    return false;
                }
            }
        }

        return index == sql.Count;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static async Task<TimeSpan> PlainCopyAsync(NpgsqlDataSource dataSource, string table, TimeSeriesWorkload workload, int from, int count)
    {
        var started = Stopwatch.GetTimestamp();
        await PostgreSqlHarness.CopyPointRowsAsync(dataSource, table, workload, from, count).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("pg-ts: " + message);
        }
    }
}
