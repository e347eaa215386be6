using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Storage.InMemory;
using DuckDB.NET.Data;

namespace AnalyticsHub.Evaluation.TimeSeries;

/// <summary>
/// <c>ts-memory [points]</c>: loads the PERFORMANCE.md workload (default 2,000,000 points) into the in-memory store in
/// batches of 10,000 (sealing included in the timed ingest), seals the open chunks, and prints
/// <see cref="InMemoryTimeSeriesStore.DescribeMemory"/>; in the same run loads the same rows into a DuckDB file
/// database with the appender, checkpoints it and reports its size per point (DuckDB compresses on checkpoint).
/// </summary>
internal static class TimeSeriesMemoryCommand
{
    private const int BatchSize = 10_000;

    public static Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
        var workload = TimeSeriesWorkload.Create(count);
        var batches = new List<AnalyticsHub.TimeSeries.TimeSeriesPoint[]>();
        for (var from = 0; from < count; from += BatchSize)
        {
            batches.Add(workload.Points(from, Math.Min(BatchSize, count - from)));
        }

        var store = new InMemoryTimeSeriesStore();
        var started = Stopwatch.GetTimestamp();
        foreach (var batch in batches)
        {
            store.WritePointsAsync(batch).AsTask().GetAwaiter().GetResult();
        }

        var ingest = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        var before = store.DescribeMemory();
        store.SealOpenChunks();
        var seal = Stopwatch.GetElapsedTime(started);
        var report = store.DescribeMemory();

        Console.WriteLine($"points: {count:N0}, series: {TimeSeriesWorkload.SeriesCount}");
        Console.WriteLine($"in-memory ingest (full chunks and left-behind shards sealed on the way): {ingest.TotalMilliseconds:N0} ms = {count / ingest.TotalSeconds / 1e6:N2} M points/s");
        Console.WriteLine($"  after ingest: {before.SealedPointCount:N0} points sealed, {before.BytesPerPoint:N2} B/point overall");
        Console.WriteLine($"SealOpenChunks: {seal.TotalMilliseconds:N0} ms");
        Console.WriteLine($"after sealing: {report.BytesPerPoint:N2} B/point overall, {report.SealedBytesPerPoint:N2} B/point sealed incl. keys/index; " +
            $"sealed {report.SealedBytes:N0} B, open {report.OpenBytes:N0} B, index {report.IndexBytes:N0} B ({(double)report.IndexBytes / count:N3} B/point), {report.SealedChunkCount:N0} chunks");
        Console.WriteLine();
        Console.WriteLine("| column | codec | chunks | points | bytes | B/point (of all points) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var column in report.Columns)
        {
            Console.WriteLine($"| {column.Column} | {column.Codec} | {column.Chunks:N0} | {column.Points:N0} | {column.Bytes:N0} | {(double)column.Bytes / count:N3} |");
        }

        var path = Path.Combine(Path.GetTempPath(), $"analyticshub-memory-{Environment.ProcessId}.duckdb");
        File.Delete(path);
        try
        {
            started = Stopwatch.GetTimestamp();
            using (var connection = new DuckDBConnection("Data Source=" + path))
            {
                connection.Open();
                TimeSeriesWorkload.CreateTable(connection);
                workload.AppendTo(connection, 0, count);
                using var command = connection.CreateCommand();
                command.CommandText = "CHECKPOINT";
                command.ExecuteNonQuery();
            }

            var duck = Stopwatch.GetElapsedTime(started);
            var bytes = new FileInfo(path).Length;
            Console.WriteLine();
            Console.WriteLine($"DuckDB file database (appender + CHECKPOINT): {duck.TotalMilliseconds:N0} ms = {count / duck.TotalSeconds / 1e6:N2} M rows/s, file {bytes:N0} B = {(double)bytes / count:N2} B/point");
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }

        GC.KeepAlive(store);
        return Task.FromResult(0);
    }
}
