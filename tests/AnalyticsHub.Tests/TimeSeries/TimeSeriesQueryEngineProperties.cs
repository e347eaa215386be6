using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Metrics;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.TimeSeries;

/// <summary>The query engine against a naive list scan, for random point sets and random queries.</summary>
public class TimeSeriesQueryEngineProperties
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Environments = ["prod", "dev"];
    private static readonly string?[] Models = ["a", "b", "c", null];
    private static readonly string?[] Regions = ["eu", "us", null];
    private static readonly string?[] Windows = [null, "30s", "1m", "5m", "1h", "1d"];
    private static readonly string[] FieldNames = ["v", "w", "n"];
    private static readonly AggregationFunction[] Functions =
    [
        AggregationFunction.Mean, AggregationFunction.Sum, AggregationFunction.Min, AggregationFunction.Max, AggregationFunction.Count,
        AggregationFunction.First, AggregationFunction.Last, AggregationFunction.Stddev, AggregationFunction.Median,
        AggregationFunction.ForPercentile(95), AggregationFunction.ForPercentile(0), AggregationFunction.ForPercentile(100), AggregationFunction.ForPercentile(37),
    ];

    private sealed record Stored(int Series, int Sequence, long Ticks, TagSet Tags, FieldSet Fields);

    private static (List<TimeSeriesPoint> Points, List<Stored> Stored) Generate(Random random)
    {
        var tagSets = new List<TagSet>();
        var seriesCount = random.Next(1, 12);
        for (var s = 0; s < seriesCount; s++)
        {
            tagSets.Add(new TagSet
            {
                SourceModule = "llm-observatory",
                Environment = Environments[random.Next(Environments.Length)],
                ModelId = Models[random.Next(Models.Length)],
                Region = Regions[random.Next(Regions.Length)],
            });
        }

        var points = new List<TimeSeriesPoint>();
        var count = random.Next(0, 600);
        var spanSeconds = random.Next(1, 4) switch { 1 => 600, 2 => 7200, _ => 3 * 86400 };
        for (var i = 0; i < count; i++)
        {
            var fields = new List<KeyValuePair<string, FieldValue>>();
            var shape = random.Next(10);
            if (shape < 9)
            {
                fields.Add(new("v", FieldValue.FromDouble(Math.Round(ValueSets.LogNormal(random, 200, 0.9), 1) * (random.Next(20) == 0 ? -1 : 1))));
            }

            if (shape % 3 == 0)
            {
                fields.Add(new("w", random.Next(2) == 0 ? FieldValue.FromInt64(random.Next(-50, 50)) : FieldValue.FromDouble(random.Next(-500, 500) / 4.0)));
            }

            if (shape != 4)
            {
                fields.Add(new("n", FieldValue.FromInt64(random.Next(0, 5000))));
            }

            if (random.Next(30) == 0)
            {
                fields.Add(new("s", FieldValue.FromString("x")));
            }

            points.Add(new TimeSeriesPoint
            {
                Measurement = "m",
                Timestamp = Origin.AddSeconds(random.Next(spanSeconds)).AddTicks(random.Next(3) * 1_000_000),
                Tags = tagSets[random.Next(tagSets.Count)],
                Fields = new FieldSet(fields),
            });
        }

        var seriesIds = new Dictionary<TagSet, int>();
        var stored = new List<Stored>();
        for (var i = 0; i < points.Count; i++)
        {
            if (!seriesIds.TryGetValue(points[i].Tags, out var id))
            {
                id = seriesIds.Count;
                seriesIds.Add(points[i].Tags, id);
            }

            stored.Add(new Stored(id, i, points[i].Timestamp.UtcTicks, points[i].Tags, points[i].Fields));
        }

        return (points, stored);
    }

    private static TimeSeriesQuery RandomQuery(Random random, bool sketch)
    {
        var start = Origin.AddSeconds(random.Next(-600, 3 * 86400));
        var end = random.Next(3) == 0 ? Origin.AddDays(4) : start.AddSeconds(random.Next(1, 2 * 86400));
        var window = Windows[random.Next(Windows.Length)];
        var aggregations = new List<Aggregation>();
        var terms = random.Next(0, 5);
        for (var i = 0; i < terms; i++)
        {
            var fields = random.Next(3) == 0 ? [] : new[] { FieldNames[random.Next(FieldNames.Length)] };
            aggregations.Add(new Aggregation { Function = Functions[random.Next(Functions.Length)], Window = window, Fields = fields });
        }

        var filters = new Dictionary<string, string>();
        if (random.Next(4) == 0)
        {
            filters["environment"] = Environments[random.Next(Environments.Length)];
        }

        var conditions = new List<TagCondition>();
        switch (random.Next(5))
        {
            case 0:
                conditions.Add(new TagCondition { Tag = "model_id", Op = TagConditionOperator.Ne, Values = ["a"] });
                break;
            case 1:
                conditions.Add(new TagCondition { Tag = "region", Op = TagConditionOperator.In, Values = ["eu", "zz"] });
                break;
            case 2:
                conditions.Add(new TagCondition { Tag = "model_id", Op = TagConditionOperator.Regex, Values = ["^[bc]"] });
                break;
            default:
                break;
        }

        var groupBy = new List<string>();
        if (random.Next(2) == 0)
        {
            groupBy.Add("model_id");
        }

        if (random.Next(3) == 0)
        {
            groupBy.Add("region");
        }

        return new TimeSeriesQuery
        {
            Measurement = "m",
            TimeRange = new TimeRange(start, end),
            TagFilters = filters,
            TagConditions = conditions,
            GroupBy = groupBy,
            Aggregations = aggregations,
            PercentileMode = sketch ? PercentileMode.Sketch : PercentileMode.Exact,
        };
    }

    private static bool Matches(TagSet tags, TimeSeriesQuery query)
    {
        foreach (var (key, value) in query.TagFilters)
        {
            if (!tags.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var condition in query.TagConditions!)
        {
            tags.TryGetValue(condition.Tag, out var actual);
            var ok = condition.Op switch
            {
                TagConditionOperator.Ne => actual != condition.Values[0],
                TagConditionOperator.In => actual is not null && condition.Values.Contains(actual),
                _ => actual is not null && System.Text.RegularExpressions.Regex.IsMatch(actual, condition.Values[0]),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<(TimeSeriesResult Result, List<Stored> Stored)> Run(int seed, bool sketch, Func<Random, TimeSeriesQuery>? make = null)
    {
        var random = new Random(seed);
        var (points, stored) = Generate(random);
        var store = new InMemoryTimeSeriesStore(new InMemoryTimeSeriesStoreOptions { ChunkSize = 64 });
        for (var i = 0; i < points.Count; i += 97)
        {
            Assert.True((await store.WritePointsAsync(points.GetRange(i, Math.Min(97, points.Count - i)))).IsSuccess);
        }

        var query = make is null ? RandomQuery(random, sketch) : make(random);
        var outcome = await store.QueryAsync(query);
        Assert.True(outcome.IsSuccess, string.Join("; ", outcome.Errors.Select(e => e.Code + " " + e.Path)));
        return (outcome.Result!, stored.Where(s => Matches(s.Tags, query)).ToList());
    }

    [Property(MaxTest = 300)]
    public void Aggregations_RandomPointsAndQueries_EqualListScan(int seed) => Check(seed, sketch: false);

    [Property(MaxTest = 150)]
    public void SketchPercentiles_RandomPointsAndQueries_WithinSketchBound(int seed) => Check(seed, sketch: true);

    private static void Check(int seed, bool sketch)
    {
        var random = new Random(seed);
        Generate(random);
        var query = RandomQuery(random, sketch);
        var (result, matching) = Run(seed, sketch).GetAwaiter().GetResult();
        var start = query.TimeRange.Start.UtcTicks;
        var end = query.TimeRange.End.UtcTicks;
        var window = query.Aggregations!.Count == 0 ? null : query.Aggregations[0].Window;
        var inRange = matching.Where(s => s.Ticks >= start && s.Ticks < end).ToList();

        if (query.Aggregations.Count == 0)
        {
            // Raw: one series per stored series, every point in range, in (time, write) order.
            var expectedRaw = inRange.GroupBy(s => s.Series).OrderBy(g => g.Key).ToList();
            Assert.Equal(expectedRaw.Count, result.Series.Count);
            for (var i = 0; i < expectedRaw.Count; i++)
            {
                var expected = expectedRaw[i].OrderBy(s => s.Ticks).ThenBy(s => s.Sequence).ToList();
                var actual = result.Series[i].Points;
                Assert.Equal(expected.Select(s => s.Ticks), actual.Select(p => p.Timestamp.UtcTicks));
                for (var k = 0; k < expected.Count; k++)
                {
                    Assert.Equal(expected[k].Fields.Count, actual[k].Values.Count);
                    foreach (var (name, value) in expected[k].Fields)
                    {
                        Assert.Equal(value, actual[k].Values[name]);
                    }
                }
            }

            return;
        }

        TimeBucketWindow? bucketWindow = window is null ? null : TimeBucketWindow.TryParse(window, out var w, out _) ? w : null;
        long Bucket(long ticks) => bucketWindow is { } bw ? bw.BucketStart(ticks) : start;
        string Key(TagSet tags) => string.Join("|", query.GroupBy.Select(g => tags.TryGetValue(g, out var v) ? "1" + v : "0"));

        var defaultFields = inRange.Count == 0 ? [] : matching.SelectMany(s => s.Fields.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var groups = inRange.GroupBy(s => Key(s.Tags)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(groups.Count, result.Series.Count);
        Assert.Equal((ulong)groups.Count, result.Metadata.GroupCount);
        if (query.TimeRange.Start <= Origin && query.TimeRange.End >= Origin.AddDays(4))
        {
            Assert.Equal((ulong)matching.Count, result.Metadata.PointsScanned);
        }

        for (var g = 0; g < groups.Count; g++)
        {
            var buckets = groups[g].GroupBy(s => Bucket(s.Ticks)).OrderBy(b => b.Key).ToList();
            var series = result.Series[g];
            Assert.Equal(buckets.Select(b => b.Key), series.Points.Select(p => p.Timestamp.UtcTicks));
            for (var b = 0; b < buckets.Count; b++)
            {
                var cell = buckets[b].OrderBy(s => s.Ticks).ThenBy(s => s.Series).ThenBy(s => s.Sequence).ToList();
                foreach (var aggregation in query.Aggregations)
                {
                    foreach (var field in aggregation.Fields.Count > 0 ? aggregation.Fields : defaultFields)
                    {
                        var name = field + "_" + aggregation.Function.Label;
                        var values = cell.Where(s => s.Fields.TryGetValue(field, out var v) && v.IsNumeric)
                            .Select(s => { s.Fields[field].TryGetDouble(out var d); return d; }).ToArray();
                        var actual = series.Points[b].Values[name];
                        CheckValue(aggregation.Function, values, actual, sketch, $"seed {seed} {name} group {groups[g].Key} bucket {b}");
                    }
                }
            }
        }
    }

    private static void CheckValue(AggregationFunction function, double[] values, FieldValue? actual, bool sketch, string context)
    {
        if (function.Kind == AggregationFunctionKind.Count)
        {
            Assert.Equal(FieldValue.FromInt64(values.Length), actual);
            return;
        }

        if (values.Length == 0 || (function.Kind == AggregationFunctionKind.Stddev && values.Length < 2))
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        actual!.Value.TryGetDouble(out var a);
        var magnitude = values.Sum(Math.Abs);
        var sorted = values.Order().ToArray();
        switch (function.Kind)
        {
            case AggregationFunctionKind.Sum:
                Assert.True(Math.Abs(a - values.Sum()) <= 1e-9 * magnitude, context);
                break;
            case AggregationFunctionKind.Mean:
                Assert.True(Math.Abs(a - values.Average()) <= 1e-9 * magnitude, context);
                break;
            case AggregationFunctionKind.Min:
                Assert.Equal(sorted[0], a);
                break;
            case AggregationFunctionKind.Max:
                Assert.Equal(sorted[^1], a);
                break;
            case AggregationFunctionKind.First:
                Assert.Equal(values[0], a);
                break;
            case AggregationFunctionKind.Last:
                Assert.Equal(values[^1], a);
                break;
            case AggregationFunctionKind.Stddev:
                var mean = values.Average();
                var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
                Assert.True(Math.Abs((a * a) - variance) <= 1e-9 * values.Sum(v => v * v), context);
                break;
            default:
                var q = function.Kind == AggregationFunctionKind.Median ? 0.5 : function.Percentile / 100.0;
                if (sketch)
                {
                    ValueSets.AssertWithinBound(sorted, q, a, context);
                }
                else
                {
                    Assert.Equal(SortQuantile(sorted, q), a);
                }

                break;
        }
    }

    [Property(MaxTest = 200)]
    public void PercentileR7_AnyValues_EqualsSortBaseline(int seed, ushort length, byte percentile)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, (length % 3000) + 1).Select(_ => random.Next(4) == 0 ? random.Next(-5, 5) : ValueSets.LogNormal(random, 200, 0.9)).ToArray();
        var q = (percentile % 101) / 100.0;
        var sorted = values.Order().ToArray();

        var actual = Selection.PercentileR7(values.ToArray(), q);

        Assert.Equal(SortQuantile(sorted, q), actual);
    }

    /// <summary>R-7 on a sorted copy, interpolated as lo (1 - d) + hi d (DuckDB's form).</summary>
    private static double SortQuantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var low = (int)Math.Floor(h);
        var high = (int)Math.Ceiling(h);
        var d = h - low;
        return (sorted[low] * (1 - d)) + (sorted[high] * d);
    }

    [Theory]
    [InlineData(3, 0.95, 227.1, 518.6, 489.45)]
    [InlineData(7, 0.95, 384.7, 1021.0, 830.1099999999996)]
    [InlineData(7, 0.37, 438.0, 710.2, 497.8839999999999)]
    [InlineData(11, 0.37, 229.2, 434.5, 372.9100000000001)]
    public void PercentileR7_CasesWhereFormsDiffer_EqualsDuckDbQuantileCont(int n, double q, double low, double high, double duckDb)
    {
        var floor = (int)Math.Floor((n - 1) * q);
        var values = Enumerable.Range(0, n).Select(i => i < floor ? 0.5 : i == floor ? low : high).Reverse().ToArray();

        Assert.Equal(duckDb, Selection.PercentileR7(values, q));
    }

    [Fact]
    public void QuantileSketch_RelativeAccuracy_IsTheBoundUsed() => Assert.True(QuantileSketch.RelativeAccuracy < 0.011);
}
