using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Metrics;

/// <summary>
/// The per-point inputs of the cross-module metrics, recorded by the <c>metrics</c> stage: the values that pair two
/// fields of one event (a threat's weight, a budget's utilisation, a compliance check's verdict), each aggregated as a
/// series of its own; <see cref="CrossModuleScores"/> derives the per-window scores from them. docs/metrics.md gives
/// every formula.
/// </summary>
/// <remarks>Global: one series per input over every point. Used from the stage's single reader only.</remarks>
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

    private static readonly Dictionary<string, string> NoTags = [];
    private MetricKey? _threatKey;
    private MetricKey? _budgetKey;
    private MetricKey? _complianceKey;

    /// <summary>What <see cref="TryGet"/> found for a point.</summary>
    public enum Outcome
    {
        /// <summary>The point pairs no fields (another payload, or fields missing).</summary>
        None,

        /// <summary>The point's paired value and its series' key.</summary>
        Value,

        /// <summary>The point has a paired value, but its series is new and the aggregator's series limit is reached.</summary>
        SeriesLimit,
    }

    /// <summary>The paired value of one point, if it is a threat, a budget alert or a compliance check, with the key of its series.</summary>
    public Outcome TryGet(string measurement, PointColumns columns, int row, WindowedAggregator aggregator, out MetricKey key, out double value)
    {
        var names = columns.FieldNames(row);
        var values = columns.FieldValues(row);
        switch (measurement)
        {
            case "security_threat" when TryField(names, values, "threat_level_score", out var level) && level.TryGetDouble(out var score)
                && score is >= 1 and <= 4:
                value = Math.Log(1 - ThreatWeights[(int)score - 1]);
                return KeyOf(aggregator, ref _threatKey, ThreatWeightLog, out key);
            case "cost_budget_alert" when TryField(names, values, "budget_limit_usd", out var limit) && limit.TryGetDouble(out var limitUsd) && limitUsd > 0
                && TryField(names, values, "current_spend_usd", out var spend) && spend.TryGetDouble(out var spendUsd):
                value = spendUsd / limitUsd;
                return KeyOf(aggregator, ref _budgetKey, BudgetUtilization, out key);
            case "governance_compliance_check" when TryField(names, values, "passed", out var passed) && passed.TryGetBoolean(out var ok):
                value = ok ? 1 : 0;
                return KeyOf(aggregator, ref _complianceKey, CompliancePassed, out key);
            default:
                key = default;
                value = 0;
                return Outcome.None;
        }
    }

    /// <summary>The value of the field <paramref name="name"/> of a row, if it has one.</summary>
    private static bool TryField(ReadOnlySpan<string> names, ReadOnlySpan<FieldValue> values, string name, out FieldValue value)
    {
        var index = names.IndexOf(name);
        value = index >= 0 ? values[index] : default;
        return index >= 0;
    }

    private static Outcome KeyOf(WindowedAggregator aggregator, ref MetricKey? known, string name, out MetricKey key)
    {
        if (known is null)
        {
            if (!aggregator.TryGetKey(name, NoTags, out var created))
            {
                key = default;
                return Outcome.SeriesLimit;
            }

            known = created;
        }

        key = known.Value;
        return Outcome.Value;
    }
}
