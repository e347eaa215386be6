using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AnalyticsHub.Benchmarks.TimeSeries;

/// <summary>
/// <c>IndexConfig.IndexedTags</c> in the in-memory store (issue 38): the inverted index's memory and the query time with
/// every tag indexed (<c>all</c>, no <see cref="IndexConfig"/>), with the spec's default (<c>default</c>: source_module,
/// environment, model_id) and with <c>source_module</c> only. Each series has six tags: source_module (7 values),
/// environment (3), model_id (20), region (10), tenant (Series / 10) and user_id (one per series); 20 points a series,
/// one a minute.
/// </summary>
/// <remarks>
/// [GlobalSetup] writes the points, seals the chunks, prints the store's memory report (<c>// index bytes</c>: the
/// inverted index and series metadata, <see cref="InMemoryTimeSeriesStore.DescribeMemory"/>), and checks that every
/// query gives the same answer as a store that indexes every tag (it throws on any difference). <c>Build</c> writes all
/// points into a new store: its allocation (MemoryDiagnoser) is what the index costs to build. The filters: on
/// <c>source_module</c> (indexed in every configuration), on <c>model_id</c> (not in <c>source_module</c>) and on
/// <c>tenant</c> (only in <c>all</c>); a tag that is not indexed is answered by a scan of the measurement's series.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class IndexedTagsBenchmarks
{
    private const string Measurement = "llm_request";
    private const int PointsPerSeries = 20;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Modules = ["llm-observatory", "llm-sentinel", "llm-cost-ops", "llm-governance-dashboard", "llm-registry", "llm-policy-engine", "llm-analytics-hub"];
    private static readonly string[] Environments = ["production", "staging", "development"];

    private TimeSeriesPoint[][] _batches = null!;
    private InMemoryTimeSeriesStore _store = null!;
    private TimeSeriesQuery _byModule = null!;
    private TimeSeriesQuery _byModel = null!;
    private TimeSeriesQuery _byTenant = null!;

    /// <summary>Which tags are indexed: <c>all</c>, <c>default</c> or <c>source_module</c>.</summary>
    [Params("all", "default", "source_module")]
    public string Indexed { get; set; } = "all";

    /// <summary>Series in the measurement.</summary>
    [Params(2_000, 50_000)]
    public int Series { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batches = Batches(Series);
        _store = Write(Options(Indexed));
        _store.SealOpenChunks();
        var report = _store.DescribeMemory();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// index bytes: {report.IndexBytes} ({report.IndexBytes / (double)Series:F1} B/series), data bytes: {report.SealedBytes + report.OpenBytes}, total {report.TotalBytes} B for {report.PointCount} points, indexed: {Indexed}"));

        var range = new TimeRange(Start, Start.AddMinutes(PointsPerSeries));
        _byModule = Query(range, "source_module", "llm-sentinel");
        _byModel = Query(range, "model_id", "model-03");
        _byTenant = Query(range, "tenant", "tenant-0007");
        if (Indexed != "all")
        {
            using var reference = Write(Options("all"));
            foreach (var query in new[] { _byModule, _byModel, _byTenant })
            {
                var expected = Describe(Run(reference, query));
                if (expected != Describe(Run(_store, query)))
                {
                    throw new InvalidOperationException($"With {Indexed} indexed the filter {string.Join(",", query.TagFilters!)} answers differently from the full index.");
                }
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [BenchmarkCategory("Build"), Benchmark]
    public long Build()
    {
        using var store = Write(Options(Indexed));
        return store.DescribeMemory().IndexBytes;
    }

    [BenchmarkCategory("FilterSourceModule"), Benchmark]
    public int FilterSourceModule() => Run(_store, _byModule).Series.Count;

    [BenchmarkCategory("FilterModel"), Benchmark]
    public int FilterModel() => Run(_store, _byModel).Series.Count;

    [BenchmarkCategory("FilterTenant"), Benchmark]
    public int FilterTenant() => Run(_store, _byTenant).Series.Count;

    private static InMemoryTimeSeriesStoreOptions Options(string indexed) => new()
    {
        Cardinality = new TimeSeriesCardinalityLimits { DefaultMaxValuesPerTag = 1_000_000, MaxSeriesPerMeasurement = 1_000_000 },
        Indexes = indexed switch
        {
            "all" => [],
            "default" => [IndexConfig.Default],
            "source_module" => [IndexConfig.Default with { IndexedTags = ["source_module"] }],
            _ => throw new ArgumentOutOfRangeException(nameof(indexed), indexed, "all, default or source_module"),
        },
    };

    private static TimeSeriesPoint[][] Batches(int series)
    {
        var tags = new TagSet[series];
        for (var s = 0; s < series; s++)
        {
            tags[s] = new TagSet
            {
                SourceModule = Modules[s % Modules.Length],
                Environment = Environments[(s / Modules.Length) % Environments.Length],
                ModelId = "model-" + (s % 20).ToString("00", CultureInfo.InvariantCulture),
                Region = "region-" + (s % 10).ToString(CultureInfo.InvariantCulture),
                Custom = new Dictionary<string, string>
                {
                    ["tenant"] = "tenant-" + (s % Math.Max(1, series / 10)).ToString("0000", CultureInfo.InvariantCulture),
                    ["user_id"] = "user-" + s.ToString(CultureInfo.InvariantCulture),
                },
            };
        }

        var random = new Random(38);
        var points = new List<TimeSeriesPoint>(series * PointsPerSeries);
        for (var minute = 0; minute < PointsPerSeries; minute++)
        {
            for (var s = 0; s < series; s++)
            {
                points.Add(new TimeSeriesPoint
                {
                    Measurement = Measurement,
                    Timestamp = Start.AddMinutes(minute).AddMilliseconds(s % 60_000),
                    Tags = tags[s],
                    Fields = FieldSet.FromArrays(["latency_ms"], [FieldValue.FromDouble(50 + random.Next(2_000))]),
                });
            }
        }

        return [.. points.Chunk(10_000)];
    }

    private InMemoryTimeSeriesStore Write(InMemoryTimeSeriesStoreOptions options)
    {
        var store = new InMemoryTimeSeriesStore(options);
        foreach (var batch in _batches)
        {
            var result = store.WritePointsAsync(batch).AsTask().GetAwaiter().GetResult();
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(result.Errors[0].Message);
            }
        }

        return store;
    }

    private static TimeSeriesQuery Query(TimeRange range, string tag, string value) => new()
    {
        Measurement = Measurement,
        TimeRange = range,
        TagFilters = new Dictionary<string, string> { [tag] = value },
        Aggregations =
        [
            new Aggregation { Function = AggregationFunction.Mean, Window = "5m", Fields = ["latency_ms"] },
            new Aggregation { Function = AggregationFunction.Count, Window = "5m", Fields = ["latency_ms"] },
        ],
    };

    private static TimeSeriesResult Run(InMemoryTimeSeriesStore store, TimeSeriesQuery query)
    {
        var outcome = store.QueryAsync(query).AsTask().GetAwaiter().GetResult();
        return outcome.Result ?? throw new InvalidOperationException(outcome.Errors[0].Message);
    }

    private static string Describe(TimeSeriesResult result) => string.Join("\n", result.Series.Select(s =>
        string.Join(",", s.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "=" + t.Value)) + ": " +
        string.Join(";", s.Points.Select(p => p.Timestamp.UtcTicks.ToString(CultureInfo.InvariantCulture) + "{" +
            string.Join(",", p.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key + "=" + v.Value)) + "}"))));
}
