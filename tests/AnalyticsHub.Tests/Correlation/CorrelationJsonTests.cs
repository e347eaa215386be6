using System.Text.Json;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation;

public class CorrelationJsonTests
{
    private const string GoldenCorrelation = """
        {"correlation_id":"0b9f6d8e-1c2a-4d3b-9e8f-7a6b5c4d3e2f","correlation_type":"causal_chain","correlation_types":["causal_chain","performance_degradation","cost_impact"],"events":[{"event_id":"11111111-2222-4333-8444-555555555555","source_module":"llm-registry","event_type":"audit","severity":"info","timestamp":"2026-12-05T10:00:00Z","role":"root_cause","summary":"deploy of gpt-4o <v42>","metrics":{}},{"event_id":"66666666-7777-4888-9999-aaaaaaaaaaaa","source_module":"llm-observatory","event_type":"telemetry","severity":"warning","timestamp":"2026-12-05T10:03:00.500Z","role":"effect","summary":"latency p95 of gpt-4o 2.1x","metrics":{"latency_ms":1830.5}}],"strength":0.86,"confidence":0.9,"time_window":{"start":"2026-12-05T10:00:00Z","end":"2026-12-05T10:30:00Z"},"causal_links":[{"from_event_id":"11111111-2222-4333-8444-555555555555","to_event_id":"66666666-7777-4888-9999-aaaaaaaaaaaa","relationship":"direct_cause","strength":0.9,"time_delta_ms":180500}],"pattern":{"pattern_id":"deploy-regression","name":"Deploy regression","description":"a deploy, then latency and errors of the same model","modules":["llm-registry","llm-observatory"],"sequence":[{"step_number":1,"module":"llm-registry","event_type":"audit","time_offset_ms":null,"conditions":{"action":"payload.data.action == \"deploy\""}},{"step_number":2,"module":"llm-observatory","event_type":"telemetry","time_offset_ms":900000,"conditions":{}}]},"detected_at":"2026-12-05T10:30:00Z","metadata":{"model_id":"gpt-4o"}}
        """;

    private const string GoldenAnomalyCorrelation = """
        {"correlation_id":"0b9f6d8e-1c2a-4d3b-9e8f-7a6b5c4d3e2f","anomalies":[{"event_id":"66666666-7777-4888-9999-aaaaaaaaaaaa","source_module":"llm-observatory","anomaly_type":"spike","anomaly_score":0.93,"baseline":410,"observed":1830.5,"deviation":1420.5,"timestamp":"2026-12-05T10:03:00Z","metric":"p95(llm_latency.latency_ms)"}],"strength":0.86,"root_cause":{"root_event_id":null,"confidence":0.7,"causal_chain":[{"from_event_id":"11111111-2222-4333-8444-555555555555","to_event_id":"66666666-7777-4888-9999-aaaaaaaaaaaa","relationship":"direct_cause","strength":0.8,"time_delta_ms":180000}],"contributing_factors":["retries doubled the load"],"recommendations":["fail over from openai in us-east-1"],"candidates":[{"kind":"external","provider":"openai","region":"us-east-1","confidence":0.7,"evidence":["errors of openai in us-east-1 led by 2 minutes"]},{"kind":"event","event_id":"11111111-2222-4333-8444-555555555555","confidence":0.2,"evidence":["deploy 3 minutes before"]}]},"impact":{"severity":"high","affected_modules":["llm-observatory","llm-cost-ops"],"performance_impact":{"latency_increase_percent":346.5,"throughput_decrease_percent":0,"error_rate_increase_percent":12.5,"affected_requests":5120},"cost_impact":{"additional_cost_usd":12.3456,"cost_increase_percent":18.2,"wasted_resources_usd":0.75},"business_impact":{"users_affected":310,"sla_violations":2,"revenue_impact_usd":null,"reputation_risk":"medium"}},"detected_at":"2026-12-05T10:30:00Z"}
        """;

    private const string GoldenGraph = """
        {"graph_id":"g-1","time_range":{"start":"2026-12-05T10:00:00Z","end":"2026-12-05T10:30:00Z"},"nodes":[{"node_id":"n0","event_id":"11111111-2222-4333-8444-555555555555","source_module":"llm-registry","event_type":"audit","timestamp":"2026-12-05T10:00:00Z","attributes":{"role":"root_cause"}},{"node_id":"n1","event_id":"66666666-7777-4888-9999-aaaaaaaaaaaa","source_module":"llm-observatory","event_type":"telemetry","timestamp":"2026-12-05T10:03:00Z","attributes":{}}],"edges":[{"edge_id":"e0","from_node":"n0","to_node":"n1","relationship_type":"causes","weight":0.8,"properties":{"time_delta_ms":"180000"}}],"metadata":{"node_count":2,"edge_count":1,"connected_components":1,"avg_degree":1,"density":0.5}}
        """;

    [Theory]
    [InlineData(GoldenCorrelation, typeof(EventCorrelation))]
    [InlineData(GoldenAnomalyCorrelation, typeof(AnomalyCorrelation))]
    [InlineData(GoldenGraph, typeof(EventGraph))]
    public void Golden_RoundTripsByteForByte(string json, Type type)
    {
        var value = JsonSerializer.Deserialize(json, type, CorrelationJsonContext.Default);

        Assert.Equal(json, JsonSerializer.Serialize(value, type, CorrelationJsonContext.Wire));
    }

    [Fact]
    public void Golden_ReadsTheValues()
    {
        var correlation = JsonSerializer.Deserialize(GoldenCorrelation, CorrelationJsonContext.Default.EventCorrelation)!;

        Assert.Equal(CorrelationType.CausalChain, correlation.CorrelationType);
        Assert.Equal([CorrelationType.CausalChain, CorrelationType.PerformanceDegradation, CorrelationType.CostImpact], correlation.CorrelationTypes);
        Assert.Equal(EventRole.RootCause, correlation.Events[0].Role);
        Assert.Equal(SourceModule.LlmRegistry, correlation.Events[0].SourceModule);
        Assert.Equal(Severity.Warning, correlation.Events[1].Severity);
        Assert.Null(correlation.Pattern!.Sequence[0].TimeOffsetMs);
        Assert.Equal(TimeSpan.FromMinutes(30), correlation.TimeWindow.Duration);

        var anomalies = JsonSerializer.Deserialize(GoldenAnomalyCorrelation, CorrelationJsonContext.Default.AnomalyCorrelation)!;
        Assert.Null(anomalies.RootCause!.RootEventId);
        Assert.Equal(RootCauseCandidateKind.External, anomalies.RootCause.Candidates[0].Kind);
        Assert.Equal(12.3456m, anomalies.Impact.CostImpact!.AdditionalCostUsd);
        Assert.Null(anomalies.Impact.SecurityImpact);
    }

    [Fact]
    public void OlderProducer_WithoutAdditiveFields_ReadsDefaults()
    {
        const string json = """{"correlation_id":"0b9f6d8e-1c2a-4d3b-9e8f-7a6b5c4d3e2f","correlation_type":"temporal","events":[],"strength":0.5,"confidence":0.5,"time_window":{"start":"2026-12-05T10:00:00Z","end":"2026-12-05T10:01:00Z"},"detected_at":"2026-12-05T10:01:00+01:00"}""";

        var correlation = JsonSerializer.Deserialize(json, CorrelationJsonContext.Default.EventCorrelation)!;

        Assert.Empty(correlation.CorrelationTypes);
        Assert.Empty(correlation.Metadata);
        Assert.Null(correlation.Pattern);
        Assert.Equal(TimeSpan.Zero, correlation.DetectedAt.Offset);
        Assert.Equal(9, correlation.DetectedAt.Hour);
    }

    [Theory]
    [InlineData("\"correlation_type\":\"temporal\",", "\"correlation_type\":\"Temporal\",")]
    [InlineData("\"correlation_type\":\"temporal\",", "\"correlation_type\":3,")]
    [InlineData("\"strength\":0.5,", "")]
    [InlineData("\"strength\":0.5,", "\"strength\":0.5,\"strength\":0.6,")]
    [InlineData("\"events\":[]", "\"events\":[],\"metadata\":null")]
    [InlineData("\"detected_at\":\"2026-12-05T10:01:00Z\"", "\"detected_at\":\"2026-12-05T10:01:00\"")]
    public void Malformed_IsRefused(string find, string replace)
    {
        const string json = """{"correlation_id":"0b9f6d8e-1c2a-4d3b-9e8f-7a6b5c4d3e2f","correlation_type":"temporal","events":[],"strength":0.5,"confidence":0.5,"time_window":{"start":"2026-12-05T10:00:00Z","end":"2026-12-05T10:01:00Z"},"detected_at":"2026-12-05T10:01:00Z"}""";
        Assert.NotNull(JsonSerializer.Deserialize(json, CorrelationJsonContext.Default.EventCorrelation));

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json.Replace(find, replace, StringComparison.Ordinal), CorrelationJsonContext.Default.EventCorrelation));
    }

    [Fact]
    public void QueryAndConfig_Defaults_AreTheSpecs()
    {
        var query = JsonSerializer.Deserialize("""{"seed_event_id":"11111111-2222-4333-8444-555555555555","time_window_minutes":60}""", CorrelationJsonContext.Default.CorrelationQuery)!;
        Assert.Equal(60, query.TimeWindowMinutes);
        Assert.Equal(0.7, query.MinStrength);
        Assert.Equal(5u, query.MaxDepth);
        Assert.Empty(query.CorrelationTypes);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"time_window_minutes\":60}", CorrelationJsonContext.Default.CorrelationQuery));

        var config = JsonSerializer.Deserialize("{}", CorrelationJsonContext.Default.CorrelationConfig)!;
        Assert.True(config.AutoDetect);
        Assert.Equal(60, config.CorrelationWindowMinutes);
        Assert.Equal(2u, config.MinEvents);
        Assert.Equal(0.8, config.AlertThresholds.MinCorrelationStrength);
        Assert.Equal(0.7, config.AlertThresholds.MinAnomalyScore);
        Assert.Equal(0.9, config.AlertThresholds.CriticalImpactThreshold);
        Assert.Equal("""{"auto_detect":true,"patterns":[],"correlation_window_minutes":60,"min_events":2,"alert_thresholds":{"min_correlation_strength":0.8,"min_anomaly_score":0.7,"critical_impact_threshold":0.9}}""", JsonSerializer.Serialize(config, CorrelationJsonContext.Wire.CorrelationConfig));
    }

    [Theory]
    [InlineData(0.0, ImpactSeverity.Negligible)]
    [InlineData(0.1999, ImpactSeverity.Negligible)]
    [InlineData(0.2, ImpactSeverity.Low)]
    [InlineData(0.4, ImpactSeverity.Medium)]
    [InlineData(0.6, ImpactSeverity.High)]
    [InlineData(0.8, ImpactSeverity.Critical)]
    [InlineData(1.5, ImpactSeverity.Critical)]
    [InlineData(-1.0, ImpactSeverity.Negligible)]
    public void SeverityOf_UsesTheBands(double score, ImpactSeverity expected) => Assert.Equal(expected, ImpactAssessment.SeverityOf(score));

    [Fact]
    public void SeverityOf_NaN_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => ImpactAssessment.SeverityOf(double.NaN));

    [Fact]
    public void ImpactSeverity_IsOrdered() =>
        Assert.True(ImpactSeverity.Negligible < ImpactSeverity.Low && ImpactSeverity.Low < ImpactSeverity.Medium && ImpactSeverity.Medium < ImpactSeverity.High && ImpactSeverity.High < ImpactSeverity.Critical);

    [Property(MaxTest = 200)]
    public Property GraphMetadata_MatchesAReferenceComputation(PositiveInt nodeCount, (byte From, byte To)[] pairs)
    {
        var n = Math.Min(nodeCount.Get, 30);
        var nodes = Enumerable.Range(0, n).Select(i => new EventNode
        {
            NodeId = "n" + i,
            EventId = Guid.NewGuid(),
            SourceModule = SourceModule.LlmObservatory,
            EventType = EventType.Telemetry,
            Timestamp = DateTimeOffset.UnixEpoch,
            Attributes = new Dictionary<string, string>(),
        }).ToList();
        var edges = (pairs ?? []).Select((p, i) => new EventEdge
        {
            EdgeId = "e" + i,
            FromNode = "n" + (p.From % n),
            ToNode = "n" + (p.To % n),
            RelationshipType = EdgeRelationship.Precedes,
            Weight = 1,
            Properties = new Dictionary<string, string>(),
        }).ToList();

        var metadata = GraphMetadata.Of(nodes, edges);

        // Reference: breadth-first search over the undirected adjacency.
        var adjacency = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        foreach (var e in edges)
        {
            int a = int.Parse(e.FromNode[1..], System.Globalization.CultureInfo.InvariantCulture), b = int.Parse(e.ToNode[1..], System.Globalization.CultureInfo.InvariantCulture);
            adjacency[a].Add(b);
            adjacency[b].Add(a);
        }

        var seen = new bool[n];
        var components = 0;
        for (var s = 0; s < n; s++)
        {
            if (seen[s])
            {
                continue;
            }

            components++;
            var queue = new Queue<int>([s]);
            seen[s] = true;
            while (queue.TryDequeue(out var v))
            {
                foreach (var w in adjacency[v].Where(w => !seen[w]))
                {
                    seen[w] = true;
                    queue.Enqueue(w);
                }
            }
        }

        var degreeSum = adjacency.Sum(a => a.Count);
        return (metadata.ConnectedComponents == (ulong)components
            && metadata.EdgeCount == (ulong)edges.Count
            && Math.Abs(metadata.AvgDegree - ((double)degreeSum / n)) < 1e-12
            && Math.Abs(metadata.Density - (n < 2 ? 0 : edges.Count / (double)(n * (n - 1)))) < 1e-12).ToProperty();
    }

    [Fact]
    public void GraphMetadata_EdgeToUnknownNode_Throws() =>
        Assert.Throws<ArgumentException>(() => GraphMetadata.Of([], [new EventEdge { EdgeId = "e", FromNode = "a", ToNode = "b", RelationshipType = EdgeRelationship.Causes, Weight = 1, Properties = new Dictionary<string, string>() }]));
}
