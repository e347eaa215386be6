using System.Text.Json;
using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Metrics;

public class StatisticalMeasuresTests
{
    [Fact]
    public void From_Values_UsesStatsAndSketchPercentiles()
    {
        var stats = default(StreamingStats);
        var sketch = new QuantileSketch();
        var values = new double[100];
        for (var i = 0; i < 100; i++)
        {
            values[i] = i + 1;
            stats.TryAdd(i + 1);
            sketch.TryAdd(i + 1);
        }

        var measures = StatisticalMeasures.From(stats, sketch);
        Assert.Equal(50.5, measures.Avg);
        Assert.Equal(1.0, measures.Min);
        Assert.Equal(100.0, measures.Max);
        Assert.Equal(5050.0, measures.Sum);
        Assert.Equal(100UL, measures.Count);
        Assert.Equal(stats.StandardDeviation, measures.StdDev);
        ValueSets.AssertWithinBound(values, 0.5, measures.P50, "p50");
        ValueSets.AssertWithinBound(values, 0.95, measures.P95, "p95");
        ValueSets.AssertWithinBound(values, 0.99, measures.P99, "p99");
    }

    [Fact]
    public void From_NoValues_ReturnsAllZerosWithoutStdDev()
    {
        var measures = StatisticalMeasures.From(default, new QuantileSketch());
        Assert.Same(StatisticalMeasures.Empty, measures);
        Assert.Equal(
            """{"avg":0,"min":0,"max":0,"p50":0,"p95":0,"p99":0,"count":0,"sum":0}""",
            JsonSerializer.Serialize(measures));
    }

    [Fact]
    public void From_OneValue_StdDevIsNull()
    {
        var stats = default(StreamingStats);
        var sketch = new QuantileSketch();
        stats.TryAdd(0.25);
        sketch.TryAdd(0.25);
        var measures = StatisticalMeasures.From(stats, sketch);
        Assert.Null(measures.StdDev);
        Assert.Equal(0.25, measures.P99);
    }

    [Fact]
    public void Serialize_WithStdDev_UsesWireNames()
    {
        var measures = new StatisticalMeasures { Avg = 1.5, Min = 1, Max = 2, P50 = 1.5, P95 = 2, P99 = 2, StdDev = 0.5, Count = 2, Sum = 3 };
        var json = JsonSerializer.Serialize(measures);
        Assert.Equal("""{"avg":1.5,"min":1,"max":2,"p50":1.5,"p95":2,"p99":2,"stddev":0.5,"count":2,"sum":3}""", json);
        Assert.Equal(measures, JsonSerializer.Deserialize<StatisticalMeasures>(json));
    }

    [Fact]
    public void Serialize_HistogramBucket_UsesWireNames() =>
        Assert.Equal("""{"upper_bound":0.01,"count":3}""", JsonSerializer.Serialize(new HistogramBucket(0.01, 3)));
}
