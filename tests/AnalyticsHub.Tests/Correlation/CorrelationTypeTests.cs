using System.Text.Json;
using AnalyticsHub.Correlation;

namespace AnalyticsHub.Tests.Correlation;

public class CorrelationTypeTests
{
    [Theory]
    [InlineData(CorrelationType.CausalChain, "\"causal_chain\"")]
    [InlineData(CorrelationType.Temporal, "\"temporal\"")]
    [InlineData(CorrelationType.PatternMatch, "\"pattern_match\"")]
    [InlineData(CorrelationType.Anomaly, "\"anomaly\"")]
    [InlineData(CorrelationType.CostImpact, "\"cost_impact\"")]
    [InlineData(CorrelationType.SecurityIncident, "\"security_incident\"")]
    [InlineData(CorrelationType.PerformanceDegradation, "\"performance_degradation\"")]
    [InlineData(CorrelationType.ComplianceCascade, "\"compliance_cascade\"")]
    public void Json_UsesTheEightWireNames(CorrelationType type, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(type));
        Assert.Equal(type, JsonSerializer.Deserialize<CorrelationType>(json));
    }

    [Fact]
    public void Json_UnknownName_IsRefused() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CorrelationType>("\"causal\""));
}
