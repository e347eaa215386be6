using AnalyticsHub.Metrics;

namespace AnalyticsHub.Tests.Metrics;

public class CompositeMetricTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private sealed class CollectingCompositeSink : ICompositeMetricSink
    {
        public List<CompositeMetric> Metrics { get; } = [];

        public List<IReadOnlyDictionary<string, string>> Tags { get; } = [];

        public void OnCompositeMetric(CompositeMetric metric, IReadOnlyDictionary<string, string> tags)
        {
            Metrics.Add(metric);
            Tags.Add(tags);
        }
    }

    [Fact]
    public void Evaluate_AllComponents_ComputesValueAndReportsComponents()
    {
        var definition = CrossModuleMetricDefinitions.CostPerRequest();
        var result = definition.Evaluate([12.0, 48.0], TimeWindow.OneHour, T0);
        Assert.Equal(CompositeEvaluationStatus.Computed, result.Status);
        var metric = result.Metric!;
        Assert.Equal(0.25, metric.Value);
        Assert.Equal("cost_per_request", metric.Name);
        Assert.Equal("cost_per_request = total_cost_usd / request_count", metric.Formula);
        Assert.Equal(["llm-cost-ops", "llm-observatory"], metric.SourceModules);
        Assert.Equal([("total_cost_usd", 12.0), ("request_count", 48.0)], metric.Components.Select(c => (c.Name, c.Value)));
        Assert.Equal(T0, metric.Timestamp);
    }

    [Fact]
    public void Evaluate_MissingComponent_NotEmittedStatusMissingComponents()
    {
        var result = CrossModuleMetricDefinitions.CostPerRequest().Evaluate([12.0, null], TimeWindow.OneHour, T0);
        Assert.Equal(CompositeEvaluationStatus.MissingComponents, result.Status);
        Assert.Null(result.Metric);
    }

    [Fact]
    public void Evaluate_DivisionByZero_NotEmittedStatusUndefined()
    {
        var result = CrossModuleMetricDefinitions.CostPerRequest().Evaluate([12.0, 0.0], TimeWindow.OneHour, T0);
        Assert.Equal(CompositeEvaluationStatus.Undefined, result.Status);
        Assert.Null(result.Metric);
    }

    [Fact]
    public void Evaluate_FormulaDefaultsMissingComponent_ComputedWithPresentComponentsOnly()
    {
        var definition = new CompositeMetricDefinition(
            "eat", "", "eat = throughput * (1 - coalesce(error_rate, 0))",
            [
                new() { Name = "throughput", SourceModule = "llm-observatory", MetricName = "latency_ms", Stat = StatType.Rate },
                new() { Name = "error_rate", SourceModule = "llm-observatory", MetricName = "error_rate", Stat = StatType.Avg },
            ]);
        var result = definition.Evaluate([10.0, null], TimeWindow.OneMinute, T0);
        Assert.Equal(CompositeEvaluationStatus.Computed, result.Status);
        Assert.Equal(10.0, result.Metric!.Value);
        Assert.Equal("throughput", Assert.Single(result.Metric.Components).Name);
    }

    [Theory]
    [InlineData(0.1, 100.0, 90.0)]
    [InlineData(0.0, 5.0, 5.0)]
    [InlineData(1.0, 5.0, 0.0)]
    public void ErrorAdjustedThroughput_Values_ThroughputTimesOneMinusErrorRate(double errorRate, double throughput, double expected)
    {
        var result = CrossModuleMetricDefinitions.ErrorAdjustedThroughput().Evaluate([throughput, errorRate], TimeWindow.OneMinute, T0);
        Assert.Equal(expected, result.Metric!.Value, 12);
    }

    [Fact]
    public void SecurityAdjustedCostEfficiency_Values_EfficiencyTimesOneMinusThreat()
    {
        var result = CrossModuleMetricDefinitions.SecurityAdjustedCostEfficiency().Evaluate([0.8, 0.25], TimeWindow.OneMinute, T0);
        Assert.Equal(0.6, result.Metric!.Value, 12);
    }

    [Fact]
    public void SystemHealthScore_CustomWeights_WeightedAverageAndWeightsReported()
    {
        var definition = CrossModuleMetricDefinitions.SystemHealthScore(
        [
            new() { Name = "a", SourceModule = "llm-observatory", MetricName = "a_score", Stat = StatType.Avg, Weight = 3 },
            new() { Name = "b", SourceModule = "llm-sentinel", MetricName = "b_score", Stat = StatType.Avg, Weight = 1 },
        ]);
        var result = definition.Evaluate([1.0, 0.0], TimeWindow.OneDay, T0);
        Assert.Equal(0.75, result.Metric!.Value, 12);
        Assert.Equal([3.0, 1.0], result.Metric.Components.Select(c => c.Weight!.Value));
        Assert.Equal(CompositeEvaluationStatus.MissingComponents, definition.Evaluate([1.0, null], TimeWindow.OneDay, T0).Status);
    }

    [Fact]
    public void SystemHealthScore_DefaultWeights_SumToOne()
    {
        var definition = CrossModuleMetricDefinitions.SystemHealthScore();
        var result = definition.Evaluate([0.9, 0.9, 0.9, 0.9], TimeWindow.OneHour, T0);
        Assert.Equal(0.9, result.Metric!.Value, 12);
        Assert.Equal(4, definition.SourceModules.Count);
    }

    [Fact]
    public void SystemHealthScore_ComponentWithoutWeight_Rejected() =>
        Assert.Throws<ArgumentException>(() => CrossModuleMetricDefinitions.SystemHealthScore(
            [new() { Name = "a", SourceModule = "x", MetricName = "a" }]));

    [Theory]
    [InlineData("total_cost_usd / requests")] // not a component
    [InlineData("total_cost_usd / ")] // syntax error
    [InlineData("severity > 1")] // an event field, not a component
    public void Constructor_BadFormula_RejectedWithReason(string formula)
    {
        var error = Assert.Throws<CompositeMetricException>(() => new CompositeMetricDefinition("x", "", formula,
            [new() { Name = "total_cost_usd", SourceModule = "llm-cost-ops", MetricName = "cost_usd" }]));
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluator_ClosedWindows_EmitsCompositePerWindowAndCountsMissing()
    {
        var output = new CollectingCompositeSink();
        var forwarded = new CollectingWindowSink();
        var evaluator = new CompositeMetricEvaluator(
            [CrossModuleMetricDefinitions.CostPerRequest("cost_usd", "latency_ms"), CrossModuleMetricDefinitions.ErrorAdjustedThroughput("latency_ms", "error_rate")], output, forwarded);
        var aggregator = new WindowedAggregator(
            new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute, TimeWindow.OneHour], AllowedLateness = TimeSpan.Zero }, evaluator);

        // Minute 0: two models' requests, costs 0.5 + 0.25 + 0.75; no error-rate points.
        aggregator.Record("latency_ms", new Dictionary<string, string> { ["model"] = "a" }, T0.AddSeconds(1), 200);
        aggregator.Record("latency_ms", new Dictionary<string, string> { ["model"] = "b" }, T0.AddSeconds(2), 300);
        aggregator.Record("latency_ms", new Dictionary<string, string> { ["model"] = "b" }, T0.AddSeconds(3), 300);
        aggregator.Record("cost_usd", null, T0.AddSeconds(1), 0.5);
        aggregator.Record("cost_usd", null, T0.AddSeconds(2), 0.25);
        aggregator.Record("cost_usd", null, T0.AddSeconds(3), 0.75);
        // Minute 1: costs only (no requests): cost per request is missing.
        aggregator.Record("cost_usd", null, T0.AddSeconds(61), 1);
        aggregator.Flush();

        var minuteCost = Assert.Single(output.Metrics, m => m.MetricId == "cost_per_request" && m.Window == TimeWindow.OneMinute);
        Assert.Equal(0.5, minuteCost.Value, 12);
        Assert.Equal(T0, minuteCost.Timestamp);
        var hourCost = Assert.Single(output.Metrics, m => m.MetricId == "cost_per_request" && m.Window == TimeWindow.OneHour);
        Assert.Equal(2.5 / 3, hourCost.Value, 12);
        // Without error-rate points the error rate counts as 0: throughput alone (3 requests in the minute).
        var minuteThroughput = Assert.Single(output.Metrics, m => m.MetricId == "error_adjusted_throughput" && m.Window == TimeWindow.OneMinute);
        Assert.Equal(3 / 60.0, minuteThroughput.Value, 12);
        Assert.Equal(4, evaluator.Computed);
        Assert.Equal(2, evaluator.MissingComponents); // requests missing in minute 1, for both
        Assert.Equal(0, evaluator.Undefined);
        Assert.Equal(7, forwarded.Windows.Count); // minute 0: 3 series, minute 1: 1, hour: 3

        var cross = CrossModuleMetricDefinitions.Collect(output.Metrics.Where(m => m.Window == TimeWindow.OneHour));
        Assert.Equal(2.5 / 3, cross.CostPerRequest!.Value, 12);
        Assert.Null(cross.SystemHealthScore);
    }
}
