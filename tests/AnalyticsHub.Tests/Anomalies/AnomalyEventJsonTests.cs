using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Tests.Events;

namespace AnalyticsHub.Tests.Anomalies;

public class AnomalyEventJsonTests
{
    private const string Golden =
        """{"event_id":"6f1c1f5e-1d7e-4c3b-9a55-0c6f1f7c2a11","source_module":"llm-cost-ops","anomaly_type":"distribution_shift","anomaly_score":0.82,"baseline":200.5,"observed":1800,"deviation":1599.5,"timestamp":"2024-01-15T10:30:00Z","metric":"sum(cost_token.cost_usd)"}""";

    private static readonly AnomalyEvent Sample = new()
    {
        EventId = Guid.Parse("6f1c1f5e-1d7e-4c3b-9a55-0c6f1f7c2a11"),
        SourceModule = SourceModule.LlmCostOps,
        AnomalyType = AnomalyType.DistributionShift,
        AnomalyScore = 0.82,
        Baseline = 200.5,
        Observed = 1800,
        Deviation = 1599.5,
        Timestamp = new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero),
        Metric = "sum(cost_token.cost_usd)",
    };

    [Fact]
    public void Serialize_Sample_WritesTheGoldenJson() =>
        JsonTree.AssertEquivalent(Golden, JsonSerializer.Serialize(Sample, AnomaliesJsonContext.Wire.AnomalyEvent));

    [Fact]
    public void Deserialize_Golden_ReadsEveryField() =>
        Assert.Equal(Sample, JsonSerializer.Deserialize(Golden, AnomaliesJsonContext.Default.AnomalyEvent));

    [Fact]
    public void Deserialize_AliasAndOffsetAndUnknownKey_AreAccepted()
    {
        var json = Golden.Replace("llm-cost-ops", "llm-costops", StringComparison.Ordinal)
            .Replace("2024-01-15T10:30:00Z", "2024-01-15T12:30:00+02:00", StringComparison.Ordinal)
            .Replace("{", """{"extra":[1],""", StringComparison.Ordinal);
        Assert.Equal(Sample, JsonSerializer.Deserialize(json, AnomaliesJsonContext.Default.AnomalyEvent));
    }

    [Theory]
    [InlineData("\"metric\":\"sum(cost_token.cost_usd)\"", "\"x\":1")]
    [InlineData("\"anomaly_type\":\"distribution_shift\"", "\"anomaly_type\":\"high_value\"")]
    [InlineData("\"anomaly_type\":\"distribution_shift\"", "\"anomaly_type\":4")]
    [InlineData("\"source_module\":\"llm-cost-ops\"", "\"source_module\":\"llm-nowhere\"")]
    [InlineData("\"timestamp\":\"2024-01-15T10:30:00Z\"", "\"timestamp\":\"2024-01-15T10:30:00\"")]
    [InlineData("\"baseline\":200.5", "\"baseline\":1e400")]
    [InlineData("\"baseline\":200.5", "\"baseline\":200.5,\"baseline\":1")]
    public void Deserialize_BadInput_IsRejected(string from, string to) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(Golden.Replace(from, to, StringComparison.Ordinal), AnomaliesJsonContext.Default.AnomalyEvent));

    [Fact]
    public void Serialize_HtmlCharactersInMetric_AreNotEscaped() =>
        Assert.Contains("\"metric\":\"a<b>&'c\"", JsonSerializer.Serialize(Sample with { Metric = "a<b>&'c" }, AnomaliesJsonContext.Wire.AnomalyEvent), StringComparison.Ordinal);
}
