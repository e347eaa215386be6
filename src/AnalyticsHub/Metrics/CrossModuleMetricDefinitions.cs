using System.Globalization;
using System.Text;

namespace AnalyticsHub.Metrics;

/// <summary>
/// Ready definitions of the spec's five cross-module metrics (1.4), as <see cref="CompositeMetricDefinition"/>s.
/// The source metric names are parameters with defaults matching the hub's metric names (the <c>metrics</c> stage's
/// <c>&lt;measurement&gt;.&lt;field&gt;</c> series and the scores it derives per window: <c>error_fraction</c>,
/// <c>threat_score</c>, <c>cost_efficiency</c>, <c>latency_within_baseline</c>, <c>compliance_pass_rate</c> and the
/// module health scores); hosts that name their metrics otherwise pass their own.
/// </summary>
public static class CrossModuleMetricDefinitions
{
    /// <summary>Gets the default module health components of <see cref="SystemHealthScore"/>: the average health score (0..1) of each module, weighted 0.4 / 0.3 / 0.15 / 0.15.</summary>
    public static IReadOnlyList<CompositeComponent> DefaultHealthComponents { get; } =
    [
        new() { Name = "observatory_health", SourceModule = "llm-observatory", MetricName = "observatory_health_score", Stat = StatType.Avg, Weight = 0.4 },
        new() { Name = "sentinel_health", SourceModule = "llm-sentinel", MetricName = "sentinel_health_score", Stat = StatType.Avg, Weight = 0.3 },
        new() { Name = "cost_ops_health", SourceModule = "llm-cost-ops", MetricName = "cost_ops_health_score", Stat = StatType.Avg, Weight = 0.15 },
        new() { Name = "governance_health", SourceModule = "llm-governance-dashboard", MetricName = "governance_health_score", Stat = StatType.Avg, Weight = 0.15 },
    ];

    /// <summary>cost_per_request = total_cost_usd / request_count: the window's total cost over its number of requests.</summary>
    /// <param name="costMetric">The metric whose sum is the cost in USD (default <c>cost_token.cost_usd</c>).</param>
    /// <param name="requestMetric">The metric with one point per request, counted (default <c>llm_latency.latency_ms</c>).</param>
    /// <returns>The definition; no value in a window without requests (division by zero).</returns>
    public static CompositeMetricDefinition CostPerRequest(string costMetric = "cost_token.cost_usd", string requestMetric = "llm_latency.latency_ms") => new(
        "cost_per_request",
        "Total cost in USD per request in the window.",
        "cost_per_request = total_cost_usd / request_count",
        [
            new() { Name = "total_cost_usd", SourceModule = "llm-cost-ops", MetricName = costMetric, Stat = StatType.Sum },
            new() { Name = "request_count", SourceModule = "llm-observatory", MetricName = requestMetric, Stat = StatType.Count },
        ]);

    /// <summary>error_adjusted_throughput = throughput × (1 − error_rate): requests per second discounted by the error fraction.</summary>
    /// <param name="requestMetric">The metric with one point per request; its rate is the throughput (default <c>llm_latency.latency_ms</c>).</param>
    /// <param name="errorRateMetric">The metric of error fractions in 0..1, averaged (default <c>error_fraction</c>); taken as 0 in a window without one.</param>
    /// <returns>The definition; no value in a window without requests.</returns>
    public static CompositeMetricDefinition ErrorAdjustedThroughput(string requestMetric = "llm_latency.latency_ms", string errorRateMetric = "error_fraction") => new(
        "error_adjusted_throughput",
        "Requests per second times the fraction of requests without error.",
        "error_adjusted_throughput = throughput * (1 - coalesce(error_rate, 0))",
        [
            new() { Name = "throughput", SourceModule = "llm-observatory", MetricName = requestMetric, Stat = StatType.Rate },
            new() { Name = "error_rate", SourceModule = "llm-observatory", MetricName = errorRateMetric, Stat = StatType.Avg },
        ]);

    /// <summary>security_adjusted_cost_efficiency = cost_efficiency × (1 − threat_score).</summary>
    /// <param name="costEfficiencyMetric">The metric of cost efficiency, averaged (default <c>cost_efficiency</c>).</param>
    /// <param name="threatScoreMetric">The metric of threat scores in 0..1, averaged (default <c>threat_score</c>).</param>
    /// <returns>The definition.</returns>
    public static CompositeMetricDefinition SecurityAdjustedCostEfficiency(string costEfficiencyMetric = "cost_efficiency", string threatScoreMetric = "threat_score") => new(
        "security_adjusted_cost_efficiency",
        "Cost efficiency discounted by the threat score.",
        "security_adjusted_cost_efficiency = cost_efficiency * (1 - threat_score)",
        [
            new() { Name = "cost_efficiency", SourceModule = "llm-cost-ops", MetricName = costEfficiencyMetric, Stat = StatType.Avg },
            new() { Name = "threat_score", SourceModule = "llm-sentinel", MetricName = threatScoreMetric, Stat = StatType.Avg },
        ]);

    /// <summary>
    /// compliance_weighted_performance = latency_within_baseline × compliance_pass_rate: the share of requests within the
    /// latency baseline, weighted by the share of compliance checks that passed (1 when none ran). In 0..1.
    /// </summary>
    /// <param name="withinBaselineMetric">The metric of the share of requests within the baseline, averaged (default <c>latency_within_baseline</c>).</param>
    /// <param name="passRateMetric">The metric of the compliance pass rate, averaged (default <c>compliance_pass_rate</c>).</param>
    /// <returns>The definition; no value in a window without requests.</returns>
    public static CompositeMetricDefinition ComplianceWeightedPerformance(string withinBaselineMetric = "latency_within_baseline", string passRateMetric = "compliance_pass_rate") => new(
        "compliance_weighted_performance",
        "Share of requests within the latency baseline times the compliance pass rate.",
        "compliance_weighted_performance = within_baseline * coalesce(compliance_pass_rate, 1)",
        [
            new() { Name = "within_baseline", SourceModule = "llm-observatory", MetricName = withinBaselineMetric, Stat = StatType.Avg },
            new() { Name = "compliance_pass_rate", SourceModule = "llm-governance-dashboard", MetricName = passRateMetric, Stat = StatType.Avg },
        ]);

    /// <summary>system_health_score: the weighted average of module health scores, (Σ wᵢ·xᵢ) / Σ wᵢ.</summary>
    /// <param name="components">The module scores, each with a positive <see cref="CompositeComponent.Weight"/>; <see langword="null"/> for <see cref="DefaultHealthComponents"/>.</param>
    /// <returns>The definition; no value when any module score is missing from the window.</returns>
    /// <exception cref="ArgumentException">A component has no weight, or a weight that is not positive and finite.</exception>
    public static CompositeMetricDefinition SystemHealthScore(IReadOnlyList<CompositeComponent>? components = null)
    {
        components ??= DefaultHealthComponents;
        var numerator = new StringBuilder();
        var total = 0.0;
        foreach (var component in components)
        {
            if (component.Weight is not { } weight || !double.IsFinite(weight) || weight <= 0)
            {
                throw new ArgumentException($"The health component '{component.Name}' needs a positive weight.", nameof(components));
            }

            numerator.Append(numerator.Length == 0 ? string.Empty : " + ")
                .Append(weight.ToString("R", CultureInfo.InvariantCulture)).Append(" * ").Append(component.Name);
            total += weight;
        }

        return new CompositeMetricDefinition(
            "system_health_score",
            "Weighted average of the module health scores.",
            $"system_health_score = ({numerator}) / {total.ToString("R", CultureInfo.InvariantCulture)}",
            components);
    }

    /// <summary>Gets the five definitions with their defaults.</summary>
    /// <returns>cost_per_request, error_adjusted_throughput, compliance_weighted_performance, security_adjusted_cost_efficiency and system_health_score.</returns>
    public static IReadOnlyList<CompositeMetricDefinition> CreateDefaults() =>
        [CostPerRequest(), ErrorAdjustedThroughput(), ComplianceWeightedPerformance(), SecurityAdjustedCostEfficiency(), SystemHealthScore()];

    /// <summary>Collects computed composites of one window into the wire record, by metric id; absent ones stay <see langword="null"/>.</summary>
    /// <param name="metrics">Composite metrics of one window.</param>
    /// <returns>The cross-module metrics.</returns>
    public static CrossModuleMetrics Collect(IEnumerable<CompositeMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var result = new CrossModuleMetrics();
        foreach (var metric in metrics)
        {
            result = metric.MetricId switch
            {
                "cost_per_request" => result with { CostPerRequest = metric.Value },
                "error_adjusted_throughput" => result with { ErrorAdjustedThroughput = metric.Value },
                "compliance_weighted_performance" => result with { ComplianceWeightedPerformance = metric.Value },
                "security_adjusted_cost_efficiency" => result with { SecurityAdjustedCostEfficiency = metric.Value },
                "system_health_score" => result with { SystemHealthScore = metric.Value },
                _ => result,
            };
        }

        return result;
    }
}
