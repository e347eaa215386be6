using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Metrics;

namespace AnalyticsHub.Tests.Metrics;

public sealed class MetricBatchReaderTests
{
    private const string Gauge = "{\"metric_type\":\"gauge\",\"name\":\"q\",\"value\":1,\"tags\":{},\"timestamp\":\"2026-12-01T09:00:00Z\"}";

    private static List<MetricBatchReader.Item> Read(string text, int maxItems = 100, int maxItemBytes = 1_000) =>
        MetricBatchReader.Read(Encoding.UTF8.GetBytes(text), maxItems, maxItemBytes);

    [Fact]
    public void Read_BadItems_EachGetsItsCodeAndItemRelativePathAndTheOthersAreRead()
    {
        var items = Read(string.Join('\n',
            Gauge,
            Gauge.Replace("\"value\":1", "\"value\":\"high\"", StringComparison.Ordinal),
            Gauge.Replace("\"metric_type\":\"gauge\",", "", StringComparison.Ordinal),
            Gauge.Replace("\"name\":\"q\",", "", StringComparison.Ordinal),
            "{\"metric_type\":",
            "",
            Gauge));

        Assert.Equal(6, items.Count);
        Assert.IsType<GaugeMetric>(items[0].Metric);
        Assert.Equal((ProblemCodes.InvalidType, "value"), (items[1].Problems[0].Code, items[1].Problems[0].Path));
        Assert.Equal((ProblemCodes.MissingField, "metric_type"), (items[2].Problems[0].Code, items[2].Problems[0].Path));
        Assert.Equal(ProblemCodes.MissingField, items[3].Problems[0].Code);
        Assert.Equal((ProblemCodes.InvalidJson, 5L), (items[4].Problems[0].Code, items[4].LineNumber));
        Assert.Equal((5, 7L), (items[5].Index, items[5].LineNumber));
        Assert.IsType<GaugeMetric>(items[5].Metric);
    }

    [Fact]
    public void Read_PrettyPrintedMetricsOneAfterAnother_AreEachAnItem()
    {
        var pretty = Gauge.Replace(",", ",\n  ", StringComparison.Ordinal).Replace("{\"metric_type\"", "{\n  \"metric_type\"", StringComparison.Ordinal);

        var items = Read(pretty + "\n" + pretty);

        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.IsType<GaugeMetric>(i.Metric));
    }

    [Fact]
    public void Read_ArrayOverTheLimits_RefusesTheLargeItemAndStopsAtTheItemLimit()
    {
        var items = Read("[" + Gauge + ",{\"metric_type\":\"gauge\",\"name\":\"" + new string('x', 2_000) + "\"}," + Gauge + "," + Gauge + "]", maxItems: 3);

        Assert.Equal(4, items.Count);
        Assert.Equal(ProblemCodes.EventTooLarge, items[1].Problems[0].Code);
        Assert.NotNull(items[2].Metric);
        Assert.True(MetricBatchReader.ReachedItemLimit(items));
    }
}
