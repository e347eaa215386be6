using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.TimeSeries;

/// <summary>
/// The ingest path's shared parts: points of one series share one tag set and one field-names array, the store
/// numbers a series' fields once per names array, and a series with only an open chunk publishes a compact state.
/// </summary>
public class SharedPointPartsTests
{
    private static AnalyticsEvent Latency(string tenant, string region, double latency, int second = 0)
    {
        var sample = SampleEvents.Event(SampleEvents.Latency with { TotalLatencyMs = latency });
        return sample with
        {
            Common = sample.Common with
            {
                Timestamp = T0.AddSeconds(second),
                Tags = new Dictionary<string, string> { ["tenant"] = tenant, ["region"] = region },
            },
        };
    }

    [Fact]
    public void Extract_SameTags_ShareOneTagSetAndOneNamesArray()
    {
        var first = PointExtractor.Extract(Latency("t1", "eu", 120));
        var second = PointExtractor.Extract(Latency("t1", "eu", 340, second: 1));

        Assert.Same(first.Tags, second.Tags);
        Assert.Same(first.Fields.NameArray, second.Fields.NameArray);
        Assert.Equal(120, Number(first.Fields["latency_ms"]));
        Assert.Equal(340, Number(second.Fields["latency_ms"]));
    }

    [Fact]
    public void Extract_OtherTenant_OtherTagSetNotEqual()
    {
        var first = PointExtractor.Extract(Latency("t1", "eu", 120));
        var other = PointExtractor.Extract(Latency("t2", "eu", 120));

        Assert.NotSame(first.Tags, other.Tags);
        Assert.NotEqual(first.Tags, other.Tags);
        Assert.Equal("t2", other.Tags.Custom["tenant"]);
    }

    [Fact]
    public void Extract_SharedTagSet_EqualsTheSameTagsBuiltByHand()
    {
        var point = PointExtractor.Extract(Latency("t1", "eu", 120));
        var byHand = new TagSet
        {
            SourceModule = point.Tags.SourceModule,
            Environment = point.Tags.Environment,
            ModelId = point.Tags.ModelId,
            Region = "eu",
            Custom = new Dictionary<string, string> { ["tenant"] = "t1" },
        };

        Assert.Equal(byHand, point.Tags);
        Assert.Equal(byHand.GetHashCode(), point.Tags.GetHashCode());
    }

    [Fact]
    public void Get_CustomTagsInOrder_OneSetPerCombination()
    {
        var interner = new TagSetInterner();
        var scratch = interner.Scratch;
        scratch.TryAdd("status", "ok");
        scratch.TryAdd("tenant", "t1");
        var first = interner.Get("llm-observatory", "production", "m", null, null, null, scratch);
        scratch.Clear();
        scratch.TryAdd("status", "ok");
        scratch.TryAdd("tenant", "t1");
        var again = interner.Get("llm-observatory", "production", "m", null, null, null, scratch);
        scratch.Clear();
        var none = interner.Get("llm-observatory", "production", "m", null, null, null, scratch);

        Assert.Same(first, again);
        Assert.Equal(2, first.Custom.Count);
        Assert.Empty(none.Custom);
        Assert.NotSame(first, none);
        Assert.Equal(2, interner.Count);
    }

    [Fact]
    public void Get_NewCombinationsWithFreshStrings_ShareOneInstancePerTagValue()
    {
        // Each event brings new strings; the table keeps one instance of each value, so its entries (and the tag sets)
        // point at a few shared strings rather than at the strings of the event that first brought each combination.
        var interner = new TagSetInterner();
        string Fresh(string text) => new(text.AsSpan());
        TagSet Get(string model)
        {
            interner.Scratch.Clear();
            interner.Scratch.TryAdd("tenant", Fresh("t1"));
            return interner.Get("llm-observatory", Fresh("production"), Fresh(model), Fresh("eu"), null, null, interner.Scratch);
        }

        var first = Get("gpt-4o");
        var second = Get("claude");
        var again = Get("gpt-4o");

        Assert.NotSame(first, second);
        Assert.Same(first, again);
        Assert.Same(first.Region, second.Region);
        Assert.Same(first.Environment, second.Environment);
        Assert.Same(first.Custom["tenant"], second.Custom["tenant"]);
        Assert.Equal("eu", second.Region);
        Assert.Equal("t1", second.Custom["tenant"]);
    }

    [Property(MaxTest = 100)]
    public void Get_EqualTagsInOtherStringInstances_SameSetIffEqual(int seed)
    {
        // Tags read from each event are new strings: equal ones must still find one tag set, unequal ones never share it.
        var random = new Random(seed);
        var interner = new TagSetInterner();
        string Fresh(string text) => new(text.AsSpan()); // an equal string, another instance
        string? Pick(string?[] pool) => pool[random.Next(pool.Length)] is { } text ? Fresh(text) : null;
        var models = new string?[] { "gpt-4o", "claude", null };
        var regions = new string?[] { "eu", "us", null };
        var tenants = new string?[] { "t1", "t2", null };
        var teams = new string?[] { "x", "y", null }; // a second custom tag: compared through the combination's map
        var seen = new Dictionary<(string?, string?, string?, string?), TagSet>();
        for (var i = 0; i < 60; i++)
        {
            var model = Pick(models);
            var region = Pick(regions);
            var tenant = Pick(tenants);
            var team = Pick(teams);
            interner.Scratch.Clear();
            if (tenant is not null)
            {
                interner.Scratch.TryAdd(Fresh("tenant"), tenant);
            }

            if (team is not null)
            {
                interner.Scratch.TryAdd(Fresh("team"), team);
            }

            var set = interner.Get("llm-observatory", Fresh("production"), model, region, null, null, interner.Scratch);
            Assert.Equal(model, set.ModelId);
            Assert.Equal(region, set.Region);
            Assert.Equal(tenant, set.Custom.TryGetValue("tenant", out var kept) ? kept : null);
            Assert.Equal(team, set.Custom.TryGetValue("team", out var keptTeam) ? keptTeam : null);
            if (seen.TryGetValue((model, region, tenant, team), out var earlier))
            {
                Assert.Same(earlier, set);
            }
            else
            {
                Assert.DoesNotContain(set, seen.Values);
                seen.Add((model, region, tenant, team), set);
            }
        }

        Assert.Equal(seen.Count, interner.Count);
    }

    [Fact]
    public void Get_PastTheBound_ForgetsEarlierSetsWhichStayValid()
    {
        var interner = new TagSetInterner();
        var first = interner.Get("llm-observatory", "production", "m-0", null, null, null, interner.Scratch);
        for (var i = 1; i <= TagSetInterner.MaxSets; i++)
        {
            interner.Get("llm-observatory", "production", "m-" + i, null, null, null, interner.Scratch);
        }

        Assert.Equal(1, interner.Count);
        var later = interner.Get("llm-observatory", "production", "m-0", null, null, null, interner.Scratch);
        Assert.NotSame(first, later);
        Assert.Equal(first, later);
        Assert.Equal("m-0", first.ModelId);
    }

    [Fact]
    public async Task WritePointsAsync_SharedNamesThenRejectedField_NumbersFieldsAgain()
    {
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { Cardinality = new TimeSeriesCardinalityLimits { MaxFieldsPerSeries = 2, MaxFieldsPerPoint = 2 } });
        var names = Fields(("a", 1), ("b", 2));
        var shared = FieldSet.FromArrays(names.NameArray, [FieldValue.FromDouble(3), FieldValue.FromDouble(4)]);
        var tags = Tags();
        Assert.True((await store.WritePointsAsync([new() { Measurement = "llm_request", Timestamp = T0, Tags = tags, Fields = names }])).IsSuccess);

        var refused = await store.WritePointsAsync([new() { Measurement = "llm_request", Timestamp = T0.AddSeconds(1), Tags = tags, Fields = Fields(("a", 5), ("c", 6)) }]);
        var again = await store.WritePointsAsync([new() { Measurement = "llm_request", Timestamp = T0.AddSeconds(2), Tags = tags, Fields = shared }]);

        Assert.False(refused.IsSuccess);
        Assert.Equal(ProblemCodes.FieldLimitExceeded, refused.Errors[0].Code);
        Assert.True(again.IsSuccess);
        var series = Assert.Single(await store.DescribeSeriesAsync("llm_request"));
        Assert.Equal(["a", "b"], series.Fields);
        Assert.Equal(2, series.PointCount);
        var sums = (await store.QueryAsync(Query(null, Agg(AggregationFunction.Sum, null, "a", "b")))).Result!.Series[0].Points[0].Values;
        Assert.Equal(4, Number(sums["a_sum"]));
        Assert.Equal(6, Number(sums["b_sum"]));
    }

    /// <summary>
    /// Whatever the batches, with points in one or two time shards and fields in shared or fresh names arrays, every
    /// series reads back its points: count, first and last time, and the sum of each field.
    /// </summary>
    [Property(MaxTest = 60)]
    public bool WritePointsAsync_AnyBatches_SeriesReadBackTheirPoints(byte[] plan)
    {
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { Retention = RetentionPolicy.Default with { ShardDurationHours = 1 } });
        var shared = Fields(("x", 0), ("y", 0)).NameArray;
        var expected = new Dictionary<string, (int Count, long First, long Last, double X, double Y)>();
        var batch = new List<TimeSeriesPoint>();
        for (var i = 0; i < plan.Length; i++)
        {
            var b = plan[i];
            var model = "m" + (b % 5);
            var at = T0.AddMinutes((b % 3 == 0 ? 70 : 0) + (i % 50));
            var x = b % 17;
            var y = (b >> 4) + 0.5;
            var fields = (b & 1) == 0
                ? FieldSet.FromArrays(shared, [FieldValue.FromDouble(x), FieldValue.FromDouble(y)])
                : Fields(("x", x), ("y", y));
            batch.Add(new() { Measurement = "llm_request", Timestamp = at, Tags = Tags(model), Fields = fields });
            var e = expected.GetValueOrDefault(model, (0, long.MaxValue, long.MinValue, 0, 0));
            expected[model] = (e.Count + 1, Math.Min(e.First, at.UtcTicks), Math.Max(e.Last, at.UtcTicks), e.X + x, e.Y + y);
            if (batch.Count == 1 + (b % 7) || i == plan.Length - 1)
            {
                if (!store.WritePointsAsync(batch).AsTask().GetAwaiter().GetResult().IsSuccess)
                {
                    return false;
                }

                batch.Clear();
            }
        }

        var described = store.DescribeSeriesAsync("llm_request").AsTask().GetAwaiter().GetResult();
        if (described.Count != expected.Count)
        {
            return false;
        }

        foreach (var series in described)
        {
            var e = expected[series.Tags.ModelId!];
            var query = new TimeSeriesQuery
            {
                Measurement = "llm_request",
                TimeRange = new TimeRange(T0, T0.AddDays(1)),
                TagFilters = new Dictionary<string, string> { ["model_id"] = series.Tags.ModelId! },
                Aggregations = [Agg(AggregationFunction.Sum, null, "x", "y")],
            };
            var values = store.QueryAsync(query).AsTask().GetAwaiter().GetResult().Result!.Series[0].Points[0].Values;
            if (series.PointCount != e.Count || series.FirstTimestamp!.Value.UtcTicks != e.First || series.LastTimestamp!.Value.UtcTicks != e.Last
                || Number(values["x_sum"]) != e.X || Number(values["y_sum"]) != e.Y)
            {
                return false;
            }
        }

        return true;
    }
}
