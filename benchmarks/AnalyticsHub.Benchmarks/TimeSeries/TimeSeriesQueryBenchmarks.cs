using System.Globalization;
using AnalyticsHub.Evaluation.TimeSeries;
using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DuckDB.NET.Data;

namespace AnalyticsHub.Benchmarks.TimeSeries;

/// <summary>
/// Q1 (one model, last 24 h, 5-minute buckets, avg + exact p95 + count) and Q2 (7 days, all series, group by
/// model x hour, same aggregates) on the workload, against DuckDB (file-backed, <c>quantile_cont</c>) with
/// <c>SET threads</c> = <see cref="DuckDbThreads"/>. [GlobalSetup] checks that both engines give the same answers
/// (counts and p95 exactly, averages within decision 10's tolerance) and throws on any difference.
/// </summary>
/// <remarks>The point count comes from the environment variable <c>TS_POINTS</c> (default 10,000,000).</remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class TimeSeriesQueryBenchmarks
{
    private const string Q1Model = "model-03";
    private const string Q1Sql =
        "SELECT time_bucket(INTERVAL '5 minutes', ts) AS b, avg(latency_ms), quantile_cont(latency_ms, 0.95), count(latency_ms) " +
        "FROM llm_request WHERE model_id = 'model-03' AND ts >= TIMESTAMP '2026-11-26 00:00:00' AND ts < TIMESTAMP '2026-11-27 00:00:00' GROUP BY b ORDER BY b";

    private const string Q2Sql =
        "SELECT model_id, date_trunc('hour', ts) AS h, avg(latency_ms), quantile_cont(latency_ms, 0.95), count(latency_ms) " +
        "FROM llm_request WHERE ts >= TIMESTAMP '2026-11-20 00:00:00' AND ts < TIMESTAMP '2026-11-27 00:00:00' GROUP BY model_id, h ORDER BY model_id, h";

    private InMemoryTimeSeriesStore _store = null!;
    private DuckDBConnection _connection = null!;
    private TimeSeriesQuery _q1 = null!;
    private TimeSeriesQuery _q2 = null!;

    /// <summary>DuckDB's worker threads: 1 (the target's baseline) or 0 (DuckDB's default, all cores).</summary>
    [Params(1, 0)]
    public int DuckDbThreads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("TS_POINTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 10_000_000;
        var workload = TimeSeriesWorkload.Create(count);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        _store = new InMemoryTimeSeriesStore();
        for (var i = 0; i < count; i += 10_000)
        {
            var result = _store.WritePointsAsync(workload.Points(i, Math.Min(10_000, count - i))).AsTask().GetAwaiter().GetResult();
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(result.Errors[0].Message);
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// in-memory store: {count} points, {(after - before) / (double)count:F1} B/point (raw arrays, before codecs)");

        var path = Path.Combine(Path.GetTempPath(), $"analyticshub-ts-{count}-{TimeSeriesWorkload.Seed}.duckdb");
        var exists = File.Exists(path) && !File.Exists(path + ".loading");
        if (!exists)
        {
            File.WriteAllText(path + ".loading", string.Empty);
            File.Delete(path);
            File.Delete(path + ".wal");
        }

        _connection = new DuckDBConnection("Data Source=" + path);
        _connection.Open();
        if (!exists)
        {
            TimeSeriesWorkload.CreateTable(_connection);
            workload.AppendTo(_connection, 0, count);
            Execute("CHECKPOINT");
            File.Delete(path + ".loading");
        }

        Execute(DuckDbThreads == 1 ? "SET threads=1" : "RESET threads");

        _q1 = new TimeSeriesQuery
        {
            Measurement = TimeSeriesWorkload.Measurement,
            TimeRange = new TimeRange(TimeSeriesWorkload.End.AddDays(-1), TimeSeriesWorkload.End),
            TagFilters = new Dictionary<string, string> { ["model_id"] = Q1Model },
            Aggregations = TimeSeriesWorkload.Aggregations("5m"),
        };
        _q2 = new TimeSeriesQuery
        {
            Measurement = TimeSeriesWorkload.Measurement,
            TimeRange = new TimeRange(TimeSeriesWorkload.Start, TimeSeriesWorkload.End),
            GroupBy = ["model_id"],
            Aggregations = TimeSeriesWorkload.Aggregations("1h"),
        };
        Compare("Q1", Run(_q1), ReadDuckDb(Q1Sql, grouped: false));
        Compare("Q2", Run(_q2), ReadDuckDb(Q2Sql, grouped: true));
    }

    [GlobalCleanup]
    public void Cleanup() => _connection.Dispose();

    [BenchmarkCategory("Q1"), Benchmark(Baseline = true)]
    public int Q1DuckDb() => CountRows(Q1Sql);

    [BenchmarkCategory("Q1"), Benchmark]
    public int Q1InMemoryStore() => Run(_q1).Series.Count;

    [BenchmarkCategory("Q2"), Benchmark(Baseline = true)]
    public int Q2DuckDb() => CountRows(Q2Sql);

    [BenchmarkCategory("Q2"), Benchmark]
    public int Q2InMemoryStore() => Run(_q2).Series.Count;

    private TimeSeriesResult Run(TimeSeriesQuery query)
    {
        var outcome = _store.QueryAsync(query).AsTask().GetAwaiter().GetResult();
        return outcome.Result ?? throw new InvalidOperationException(outcome.Errors[0].Message);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private int CountRows(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }

    private List<(string Group, DateTime Bucket, double Avg, double P95, long Count)> ReadDuckDb(string sql, bool grouped)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(string, DateTime, double, double, long)>();
        var o = grouped ? 1 : 0;
        while (reader.Read())
        {
            rows.Add((grouped ? reader.GetString(0) : Q1Model, reader.GetDateTime(o), reader.GetDouble(o + 1), reader.GetDouble(o + 2), reader.GetInt64(o + 3)));
        }

        return rows;
    }

    private static void Compare(string name, TimeSeriesResult ours, List<(string Group, DateTime Bucket, double Avg, double P95, long Count)> duck)
    {
        var index = 0;
        foreach (var series in ours.Series)
        {
            var group = series.Tags.TryGetValue("model_id", out var model) ? model : Q1Model;
            foreach (var point in series.Points)
            {
                if (index >= duck.Count)
                {
                    throw new InvalidOperationException($"{name}: more rows than DuckDB ({duck.Count}).");
                }

                var (g, bucket, avg, p95, count) = duck[index++];
                point.Values["latency_ms_mean"]!.Value.TryGetDouble(out var ourAvg);
                point.Values["latency_ms_p95"]!.Value.TryGetDouble(out var ourP95);
                point.Values["latency_ms_count"]!.Value.TryGetInt64(out var ourCount);
                if (g != group || bucket.Ticks != point.Timestamp.UtcTicks || count != ourCount || p95 != ourP95
                    || Math.Abs(avg - ourAvg) > 1e-9 * avg * count)
                {
                    throw new InvalidOperationException(
                        $"{name} differs at {group} {point.Timestamp:O}: DuckDB ({g} {bucket:O} avg {avg:R} p95 {p95:R} n {count}) vs ours (avg {ourAvg:R} p95 {ourP95:R} n {ourCount}).");
                }
            }
        }

        if (index != duck.Count)
        {
            throw new InvalidOperationException($"{name}: {index} rows, DuckDB has {duck.Count}.");
        }

        Console.WriteLine($"// {name}: {index} rows equal to DuckDB (counts and p95 exactly, averages within 1e-9 sum|x|)");
    }
}
