namespace AnalyticsHub.Metrics;

/// <summary>
/// The per-window scores of the cross-module metrics (<c>threat_score</c>, <c>cost_efficiency</c>, the module health
/// scores, ...), derived by the <c>composite_metrics</c> stage from the merged windows of the metrics stage's series and
/// the paired inputs of <see cref="CrossModuleInputs"/>, emitted as composite metrics and read by the cross-module
/// definitions (<see cref="CrossModuleMetricDefinitions"/>). docs/metrics.md gives every formula.
/// </summary>
/// <remarks>Global: one value per window over every series. Keeps the previous windows' p95 latencies for the baseline. Not thread-safe.</remarks>
internal sealed class CrossModuleScores
{
    /// <summary>How many previous windows' p95 latencies the baseline is the median of.</summary>
    public const int BaselineWindows = 30;

    private static readonly HashSet<string> Sources = new(StringComparer.Ordinal)
    {
        CrossModuleInputs.ThreatWeightLog, CrossModuleInputs.BudgetUtilization, CrossModuleInputs.CompliancePassed,
        CrossModuleInputs.Latency, CrossModuleInputs.ErrorCount, CrossModuleInputs.TotalRequests, CrossModuleInputs.Cost,
    };

    private readonly Dictionary<TimeWindow, Queue<double>> _p95History = [];

    /// <summary>Whether the scores read a metric's windows.</summary>
    public static bool Reads(string metricName) => Sources.Contains(metricName);

    /// <summary>Whether the scores read quantiles of a metric's windows (the latency's p95 and its share below the baseline).</summary>
    public static bool ReadsQuantiles(string metricName) => metricName == CrossModuleInputs.Latency;

    /// <summary>Derives the window's scores from the merged source windows and hands each to <paramref name="emit"/>.</summary>
    public void Derive(
        TimeWindow window,
        DateTimeOffset start,
        Func<string, CompositeMetricEvaluator.MergedMetric?> read,
        Action<CompositeMetric, double> emit)
    {
        var latency = read(CrossModuleInputs.Latency);
        var errors = read(CrossModuleInputs.ErrorCount)?.Stats.Sum;
        var total = read(CrossModuleInputs.TotalRequests)?.Stats.Sum;
        var cost = read(CrossModuleInputs.Cost)?.Stats.Sum;
        var threatLog = read(CrossModuleInputs.ThreatWeightLog)?.Stats.Sum ?? 0;
        var utilization = read(CrossModuleInputs.BudgetUtilization)?.Stats.Max;
        var compliance = read(CrossModuleInputs.CompliancePassed)?.Stats.Mean;

        double? errorFraction = errors is { } e && total is { } t && t > 0 ? Math.Clamp(e / t, 0, 1) : null;
        var threatScore = Math.Clamp(1 - Math.Exp(threatLog), 0, 1);
        var passRate = compliance ?? 1;

        // The latency's sketch is merged whenever the scores are on (ReadsQuantiles).
        var sketch = latency is { Stats.Count: > 0 } ? latency.Sketch : null;
        double? p95 = sketch?.Quantile(0.95);
        var baseline = Baseline(window);
        double? withinBaseline = null;
        var latencyFactor = 1.0;
        if (sketch is not null)
        {
            withinBaseline = 1;
            if (baseline is { } b && b > 0)
            {
                withinBaseline = (double)sketch.ToHistogramBuckets([b])[0].Count / latency!.Stats.Count;
                latencyFactor = p95 > 0 ? Math.Min(1, b / p95.Value) : 1;
            }
        }

        if (p95 is { } current && double.IsFinite(current))
        {
            var history = _p95History.TryGetValue(window, out var queue) ? queue : _p95History[window] = new Queue<double>();
            if (history.Count == BaselineWindows)
            {
                history.Dequeue();
            }

            history.Enqueue(current);
        }

        double? successful = latency is { Stats.Count: > 0 } ? latency.Stats.Count * (1 - (errorFraction ?? 0)) : null;
        double? costEfficiency = successful is { } s && cost is { } c && c > 0 ? s / c : null;

        Emit(emit, "error_fraction", "llm-observatory", window, start, errorFraction,
            "error_fraction = Σ error_count / Σ total_requests of the window's error-rate events");
        Emit(emit, "threat_score", "llm-sentinel", window, start, threatScore,
            "threat_score = 1 - Π(1 - w) over the window's threats, w = 0.05 / 0.15 / 0.4 / 0.8 for low / medium / high / critical");
        Emit(emit, "cost_efficiency", "llm-cost-ops", window, start, costEfficiency,
            "cost_efficiency = requests × (1 - error_fraction) / Σ cost_usd");
        Emit(emit, "latency_within_baseline", "llm-observatory", window, start, withinBaseline,
            "latency_within_baseline = share of requests at or below the baseline p95 (median p95 of the previous windows)");
        Emit(emit, "compliance_pass_rate", "llm-governance-dashboard", window, start, passRate,
            "compliance_pass_rate = passed ÷ total compliance checks (1 when no check ran)");
        Emit(emit, "observatory_health_score", "llm-observatory", window, start, (1 - (errorFraction ?? 0)) * latencyFactor,
            "observatory_health_score = (1 - error_fraction) × min(1, baseline p95 ÷ p95)");
        Emit(emit, "sentinel_health_score", "llm-sentinel", window, start, 1 - threatScore,
            "sentinel_health_score = 1 - threat_score");
        Emit(emit, "cost_ops_health_score", "llm-cost-ops", window, start, Math.Clamp(1 - (utilization ?? 0), 0, 1),
            "cost_ops_health_score = min(1, budget headroom), headroom = 1 - the highest spend ÷ limit of the window's budget alerts");
        Emit(emit, "governance_health_score", "llm-governance-dashboard", window, start, passRate,
            "governance_health_score = compliance_pass_rate");
    }

    /// <summary>The median p95 latency of the previous windows of this size, or <see langword="null"/> before the first.</summary>
    private double? Baseline(TimeWindow window)
    {
        if (!_p95History.TryGetValue(window, out var history) || history.Count == 0)
        {
            return null;
        }

        var sorted = history.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void Emit(Action<CompositeMetric, double> emit, string name, string module, TimeWindow window, DateTimeOffset start, double? value, string formula)
    {
        if (value is not { } number || !double.IsFinite(number))
        {
            return;
        }

        emit(new CompositeMetric
        {
            MetricId = name,
            Name = name,
            Description = formula,
            SourceModules = [module],
            Components = [],
            Value = number,
            Formula = formula,
            Window = window,
            Timestamp = start,
        }, number);
    }
}
