using AnalyticsHub.Evaluation.TimeSeries;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;

namespace AnalyticsHub.Benchmarks.TimeSeries;

/// <summary>
/// Ingest of 1,000,000 prepared points of the workload on one thread: the in-memory store (batches of 10,000)
/// against DuckDB's appender into a file database (the peer of PERFORMANCE.md). Each iteration starts empty
/// (one invocation per iteration, both sides, so they share a group and a ratio).
/// </summary>
[MemoryDiagnoser]
public class TimeSeriesIngestBenchmarks
{
    private const int Points = 1_000_000;
    private const int BatchSize = 10_000;
    private TimeSeriesWorkload _workload = null!;
    private TimeSeriesPoint[][] _batches = null!;
    private string _path = null!;
    private DuckDBConnection? _connection;
    private InMemoryTimeSeriesStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = TimeSeriesWorkload.Create(Points);
        _batches = new TimeSeriesPoint[Points / BatchSize][];
        for (var b = 0; b < _batches.Length; b++)
        {
            _batches[b] = _workload.Points(b * BatchSize, BatchSize);
        }

        _path = Path.Combine(Path.GetTempPath(), $"analyticshub-ingest-{Environment.ProcessId}.duckdb");
    }

    [IterationSetup]
    public void FreshStores()
    {
        _store = new InMemoryTimeSeriesStore();
        _connection?.Dispose();
        File.Delete(_path);
        File.Delete(_path + ".wal");
        _connection = new DuckDBConnection("Data Source=" + _path);
        _connection.Open();
        TimeSeriesWorkload.CreateTable(_connection);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection?.Dispose();
        File.Delete(_path);
        File.Delete(_path + ".wal");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public void DuckDbAppender() => _workload.AppendTo(_connection!, 0, Points);

    [Benchmark(OperationsPerInvoke = Points)]
    public long InMemoryStore()
    {
        var store = _store;
        long written = 0;
        foreach (var batch in _batches)
        {
            written += store.WritePointsAsync(batch).AsTask().GetAwaiter().GetResult().PointsWritten;
        }

        return written;
    }
}
