using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage;

/// <summary>
/// The whole time-series contract with only <c>source_module</c> in the inverted index: every other filter and
/// condition is answered by a scan of the series and must give the same answers.
/// </summary>
public sealed class InMemoryIndexedTagsContractTests : TimeSeriesStoreContractTests
{
    internal static readonly IndexConfig SourceModuleOnly = IndexConfig.Default with { IndexedTags = ["source_module"] };

    protected override ITimeSeriesStore CreateStore(int maxValuesPerTag = 1_000, int maxSeries = 100_000) =>
        new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions
        {
            ChunkSize = 64,
            Cardinality = new TimeSeriesCardinalityLimits { DefaultMaxValuesPerTag = maxValuesPerTag, MaxSeriesPerMeasurement = maxSeries },
            Indexes = [SourceModuleOnly],
        });
}

/// <summary><c>IndexConfig.IndexedTags</c> in the in-memory store: the same answers by index and by scan.</summary>
public sealed class InMemoryIndexedTagsTests
{
    private static readonly string[] Models = ["a", "b", "c", "d"];
    private static readonly string[] Regions = ["eu", "us", "ap"];

    private static TimeSeriesPoint[] Points(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 300).Select(i => new TimeSeriesPoint
        {
            Measurement = "llm_request",
            Timestamp = T0.AddSeconds(i),
            Tags = Tags(Models[random.Next(Models.Length)], random.Next(2) == 0 ? "prod" : "dev", Regions[random.Next(Regions.Length)],
                new Dictionary<string, string> { ["tenant"] = "t" + random.Next(5) }),
            Fields = Fields(("latency_ms", random.Next(1, 1000))),
        })];
    }

    private static IEnumerable<TimeSeriesQuery> Queries(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 20; i++)
        {
            var filters = new Dictionary<string, string>();
            if (random.Next(2) == 0)
            {
                filters["region"] = Regions[random.Next(Regions.Length)];
            }

            if (random.Next(3) == 0)
            {
                filters["model_id"] = Models[random.Next(Models.Length)];
            }

            var op = (TagConditionOperator[])[TagConditionOperator.Ne, TagConditionOperator.In, TagConditionOperator.Regex];
            var condition = new TagCondition
            {
                Tag = random.Next(2) == 0 ? "tenant" : "environment",
                Op = op[random.Next(op.Length)],
                Values = random.Next(2) == 0 ? ["t1", "prod"] : ["^t[0-2]$"],
            };
            if (condition.Op == TagConditionOperator.Ne || condition.Op == TagConditionOperator.Regex)
            {
                condition = condition with { Values = [condition.Values[0]] };
            }

            yield return Query() with { TagFilters = filters, TagConditions = random.Next(2) == 0 ? [condition] : null, GroupBy = ["model_id"] };
            yield return Query(null, Agg(AggregationFunction.Mean, "1h", "latency_ms"), Agg(AggregationFunction.Count, "1h", "latency_ms"))
                with { TagFilters = filters, TagConditions = random.Next(2) == 0 ? [condition] : null, GroupBy = ["region"] };
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task QueryAsync_FilterOnTagsNotIndexed_SameAnswerAsTheFullIndex(int seed)
    {
        using var full = new InMemoryTimeSeriesStore();
        using var partial = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { Indexes = [InMemoryIndexedTagsContractTests.SourceModuleOnly] });
        var points = Points(seed);
        Assert.True((await full.WritePointsAsync(points)).IsSuccess);
        Assert.True((await partial.WritePointsAsync(points)).IsSuccess);
        foreach (var query in Queries(seed))
        {
            var expected = await full.QueryAsync(query);
            var actual = await partial.QueryAsync(query);
            Assert.True(expected.IsSuccess, string.Join("; ", expected.Errors));
            Assert.Equal(Describe(expected.Result!), Describe(actual.Result!));
        }
    }

    private static string Describe(TimeSeriesResult result) => string.Join("\n", result.Series.Select(s =>
        string.Join(",", s.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "=" + t.Value)) + ": " +
        string.Join(";", s.Points.Select(p => p.Timestamp.UtcTicks + "{" + string.Join(",", p.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key + "=" + v.Value)) + "}"))));

    [Fact]
    public async Task GetCardinalityAsync_TagNotIndexed_StillCountsItsValues()
    {
        using var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { Indexes = [InMemoryIndexedTagsContractTests.SourceModuleOnly] });
        await store.WritePointsAsync(Points(3));
        var report = await store.GetCardinalityAsync("llm_request");
        Assert.Equal(3, report.Tags.Single(t => t.Tag == "region").DistinctValues);
        Assert.Equal(4, report.Tags.Single(t => t.Tag == "model_id").DistinctValues);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task DescribeMemory_OnlyTheIndexedTagsHoldSeriesIds_TheDataTakesTheSame(int seed)
    {
        using var full = new InMemoryTimeSeriesStore();
        using var partial = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { Indexes = [InMemoryIndexedTagsContractTests.SourceModuleOnly] });
        using var again = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { Indexes = [InMemoryIndexedTagsContractTests.SourceModuleOnly] });
        var points = Points(seed);
        foreach (var store in new[] { full, partial, again })
        {
            Assert.True((await store.WritePointsAsync(points)).IsSuccess);
        }

        var all = full.DescribeMemory();
        var some = partial.DescribeMemory();

        Assert.Equal(all.PointCount, some.PointCount);
        Assert.Equal(all.SealedBytes, some.SealedBytes);
        Assert.Equal(all.OpenBytes, some.OpenBytes);
        Assert.Equal(some.IndexBytes, again.DescribeMemory().IndexBytes);

        // The full index holds every series' id (4 bytes) once per tag key; the partial one only under source_module.
        var series = points.Select(p => string.Join(",", p.Tags.ToDictionary().OrderBy(t => t.Key, StringComparer.Ordinal))).Distinct(StringComparer.Ordinal).Count();
        var otherKeys = points.SelectMany(p => p.Tags.ToDictionary().Keys).Distinct(StringComparer.Ordinal).Count(k => k != "source_module");
        Assert.True(otherKeys >= 4, "tag keys besides source_module: " + otherKeys);
        Assert.True(all.IndexBytes - some.IndexBytes >= 4L * series * otherKeys, $"index {all.IndexBytes} B with every tag, {some.IndexBytes} B with source_module only, {series} series x {otherKeys} keys");
    }
}
