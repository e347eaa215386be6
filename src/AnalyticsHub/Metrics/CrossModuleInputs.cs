using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Metrics;

/// <summary>
/// The inputs of the cross-module metrics the <c>metrics</c> stage owns: per point, the values that pair two fields of
/// one event (a threat's weight, a budget's utilisation, a compliance check's verdict); per closed window, the scores
/// (<c>threat_score</c>, <c>cost_efficiency</c>, the module health scores, ...) emitted as composite metrics and read by
/// the cross-module definitions (<see cref="CrossModuleMetricDefinitions"/>). docs/metrics.md gives every formula.
/// </summary>
/// <remarks>Global: one value per window over every series. Used from the stage's single reader only.</remarks>
internal sealed class CrossModuleInputs
{
    /// <summary>The per-threat series: ln(1 − w) of each threat, so a window's sum is ln Π(1 − w).</summary>
    public const string ThreatWeightLog = "cross_module.threat_weight_log";

    /// <summary>The per-budget-alert series: current spend ÷ limit.</summary>
    public const string BudgetUtilization = "cross_module.budget_utilization";

    /// <summary>The per-check series: 1 for a passed compliance check, 0 for a failed one.</summary>
    public const string CompliancePassed = "cross_module.compliance_passed";

    /// <summary>The request metric (one point per request).</summary>
    public const string Latency = "llm_latency.latency_ms";

    /// <summary>The failed requests reported by error-rate events.</summary>
    public const string ErrorCount = "llm_error_rate.error_count";

    /// <summary>The requests reported by error-rate events.</summary>
    public const string TotalRequests = "llm_error_rate.total_requests";

    /// <summary>The cost in USD of priced requests.</summary>
    public const string Cost = "cost_token.cost_usd";

    /// <summary>The threat weights of low, medium, high and critical threats.</summary>
    public static readonly double[] ThreatWeights = [0.05, 0.15, 0.4, 0.8];

    /// <summary>How many previous windows' p95 latencies the baseline is the median of.</summary>
    public const int BaselineWindows = 30;

    private static readonly HashSet<string> Sources = new(StringComparer.Ordinal)
    {
        ThreatWeightLog, BudgetUtilization, CompliancePassed, Latency, ErrorCount, TotalRequests, Cost,
    };

    private static readonly Dictionary<string, string> NoTags = [];
    private readonly Dictionary<TimeWindow, Queue<double>> _p95History = [];
    private MetricKey? _threatKey;
    private MetricKey? _budgetKey;
    private MetricKey? _complianceKey;

    /// <summary>Whether the window deriver reads a metric.</summary>
    public static bool Reads(string metricName) => Sources.Contains(metricName);

    /// <summary>Records the paired values of one point, if it is a threat, a budget alert or a compliance check.</summary>
    /// <returns>Whether a value was refused because the aggregator's series limit was reached.</returns>
    public bool Record(TimeSeriesPoint point, WindowedAggregator aggregator, out bool late)
    {
        late = false;
        switch (point.Measurement)
        {
            case "security_threat" when point.Fields.TryGetValue("threat_level_score", out var level) && level.TryGetDouble(out var score)
                && score is >= 1 and <= 4:
                return Record(aggregator, ref _threatKey, ThreatWeightLog, point.Timestamp, Math.Log(1 - ThreatWeights[(int)score - 1]), out late);
            case "cost_budget_alert" when point.Fields.TryGetValue("budget_limit_usd", out var limit) && limit.TryGetDouble(out var limitUsd) && limitUsd > 0
                && point.Fields.TryGetValue("current_spend_usd", out var spend) && spend.TryGetDouble(out var spendUsd):
                return Record(aggregator, ref _budgetKey, BudgetUtilization, point.Timestamp, spendUsd / limitUsd, out late);
            case "governance_compliance_check" when point.Fields.TryGetValue("passed", out var passed) && passed.TryGetBoolean(out var ok):
                return Record(aggregator, ref _complianceKey, CompliancePassed, point.Timestamp, ok ? 1 : 0, out late);
            default:
                return false;
        }
    }

    private static bool Record(WindowedAggregator aggregator, ref MetricKey? key, string name, DateTimeOffset timestamp, double value, out bool late)
    {
        late = false;
        if (key is null)
        {
            if (!aggregator.TryGetKey(name, NoTags, out var created))
            {
                return true;
            }

            key = created;
        }

        late = aggregator.Record(key.Value, timestamp, value) == RecordStatus.Late;
        return false;
    }

    /// <summary>Derives the window's scores from the merged source windows and hands each to <paramref name="emit"/>.</summary>
    public void Derive(
        TimeWindow window,
        DateTimeOffset start,
        Func<string, CompositeMetricEvaluator.MergedMetric?> read,
        Action<CompositeMetric, double> emit)
    {
        var latency = read(Latency);
        var errors = read(ErrorCount)?.Stats.Sum;
        var total = read(TotalRequests)?.Stats.Sum;
        var cost = read(Cost)?.Stats.Sum;
        var threatLog = read(ThreatWeightLog)?.Stats.Sum ?? 0;
        var utilization = read(BudgetUtilization)?.Stats.Max;
        var compliance = read(CompliancePassed)?.Stats.Mean;

        double? errorFraction = errors is { } e && total is { } t && t > 0 ? Math.Clamp(e / t, 0, 1) : null;
        var threatScore = Math.Clamp(1 - Math.Exp(threatLog), 0, 1);
        var passRate = compliance ?? 1;

        double? p95 = latency is { Stats.Count: > 0 } ? latency.Sketch.Quantile(0.95) : null;
        var baseline = Baseline(window);
        double? withinBaseline = null;
        var latencyFactor = 1.0;
        if (latency is { Stats.Count: > 0 })
        {
            withinBaseline = 1;
            if (baseline is { } b && b > 0)
            {
                withinBaseline = (double)latency.Sketch.ToHistogramBuckets([b])[0].Count / latency.Stats.Count;
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
