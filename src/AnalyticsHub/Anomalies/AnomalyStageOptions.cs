using System.Globalization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// The <c>anomalies</c> stage: one streaming detector (<see cref="DefaultAnomalyDetector"/>, frozen defaults) per
/// watched metric, statistic and tag set, fed one value per closed one-minute window of the <c>metrics</c> stage;
/// each anomaly episode becomes two derived events, one when it opens and one when it closes.
/// </summary>
public sealed class AnomalyStageOptions
{
    /// <summary>
    /// The default watched metrics, chosen on the simulator's incident templates (see docs/anomalies.md): mean latency and
    /// request rate, mean error rate and throughput, mean completion size and total tokens, total cost, and the counts of
    /// auth failures, threats and policy violations.
    /// </summary>
    public static IReadOnlyList<AnomalySeriesRule> DefaultSeries { get; } =
    [
        new() { Metric = "llm_latency.latency_ms", Statistic = AnomalyStatistic.Mean },
        new() { Metric = "llm_latency.latency_ms", Statistic = AnomalyStatistic.Count },
        new() { Metric = "llm_error_rate.error_rate_percent", Statistic = AnomalyStatistic.Mean },
        new() { Metric = "llm_throughput.throughput", Statistic = AnomalyStatistic.Mean, RateWindowSeconds = 60 },
        new() { Metric = "llm_token_usage.completion_tokens", Statistic = AnomalyStatistic.Mean },
        new() { Metric = "llm_token_usage.token_count", Statistic = AnomalyStatistic.Sum },
        new() { Metric = "cost_token.cost_usd", Statistic = AnomalyStatistic.Sum },
        new() { Metric = "security_auth.failure_count", Statistic = AnomalyStatistic.Sum },
        new() { Metric = "security_threat.threat_count", Statistic = AnomalyStatistic.Sum },
        new() { Metric = "governance_policy_violation.violation_count", Statistic = AnomalyStatistic.Sum },
    ];

    /// <summary>The watched metrics and statistics; <see langword="null"/> for <see cref="DefaultSeries"/>.</summary>
    public AnomalySeriesRule[]? Series { get; set; }

    /// <summary>
    /// The most detection series tracked at once (default 4,096; each holds about 37 KB of detector state). Windows of
    /// further series are counted (<c>analyticshub.anomalies.untracked_windows</c>) and logged once, never scored silently.
    /// </summary>
    public int MaxSeries { get; set; } = 4_096;

    /// <summary>
    /// How long, in event time, an episode stays open without an anomalous point (default five minutes): anomalous points
    /// closer than this merge into one episode; after it, the episode closes.
    /// </summary>
    public TimeSpan MergeGap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many anomalous one-minute windows an episode needs before it is reported (default 2): a lone anomalous minute
    /// is a blip and raises no event; an episode that reaches the minimum is reported from its first window on.
    /// </summary>
    public int MinimumWindows { get; set; } = 2;

    /// <summary>
    /// How many sampling errors a window's departure from the expected value must reach to count toward
    /// <see cref="MinimumWindows"/> (default 3; 0 counts every anomalous window). The error comes from the window's volume:
    /// a mean's standard error from its count, a Poisson bound on a count, a compound-Poisson bound on a sum (see
    /// docs/anomalies.md). So 1 error in 4 requests, or 3 requests where 1 was usual, does not confirm an episode.
    /// </summary>
    public double MinimumEvidence { get; set; } = 3;

    /// <summary>The lowest severity an episode must reach when it opens to be reported (default <see cref="Severity.Warning"/>, i.e. every anomaly).</summary>
    public Severity MinimumSeverity { get; set; } = Severity.Warning;

    /// <summary>The most zero-valued minutes fed between two windows of a <see cref="AnomalyStatistic.Sum"/> or <see cref="AnomalyStatistic.Count"/> series (default 1,440, a day).</summary>
    public int MaxFillMinutes { get; set; } = 1_440;

    /// <summary>The rules in force.</summary>
    internal IReadOnlyList<AnomalySeriesRule> EffectiveSeries => Series ?? DefaultSeries;

    internal void Validate(List<string> problems)
    {
        if (MaxSeries < 1)
        {
            problems.Add(Problem($"Anomalies.MaxSeries {MaxSeries} must be at least 1."));
        }

        if (MergeGap < TimeSpan.FromMinutes(1) || MergeGap > TimeSpan.FromDays(1))
        {
            problems.Add(Problem($"Anomalies.MergeGap {MergeGap} must lie between one minute and one day."));
        }

        if (!Enum.IsDefined(MinimumSeverity))
        {
            problems.Add(Problem($"Anomalies.MinimumSeverity {(int)MinimumSeverity} is not a severity."));
        }

        if (MinimumWindows is < 1 or > 60)
        {
            problems.Add(Problem($"Anomalies.MinimumWindows {MinimumWindows} must lie in 1..60."));
        }

        if (!(MinimumEvidence is >= 0 and <= 100))
        {
            problems.Add(Problem($"Anomalies.MinimumEvidence {MinimumEvidence} must lie in 0..100."));
        }

        if (MaxFillMinutes is < 0 or > 100_000)
        {
            problems.Add(Problem($"Anomalies.MaxFillMinutes {MaxFillMinutes} must lie in 0..100000."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var series = EffectiveSeries;
        for (var i = 0; i < series.Count; i++)
        {
            var rule = series[i];
            if (rule is null)
            {
                problems.Add(Problem($"Anomalies.Series[{i}] must not be null."));
                continue;
            }

            var dot = rule.Metric?.IndexOf('.', StringComparison.Ordinal) ?? -1;
            if (dot <= 0 || dot == rule.Metric!.Length - 1)
            {
                problems.Add(Problem($"Anomalies.Series[{i}].Metric '{rule.Metric}' must be '<measurement>.<field>'."));
            }

            if (!(rule.RateWindowSeconds >= 0 && rule.RateWindowSeconds <= 86_400))
            {
                problems.Add(Problem($"Anomalies.Series[{i}].RateWindowSeconds {rule.RateWindowSeconds} must lie in 0..86400."));
            }

            if (!Enum.IsDefined(rule.Statistic))
            {
                problems.Add(Problem($"Anomalies.Series[{i}].Statistic {(int)rule.Statistic} is not a statistic."));
            }
            else if (dot > 0 && !seen.Add(rule.SeriesName))
            {
                problems.Add(Problem($"Anomalies.Series[{i}] repeats {rule.SeriesName}."));
            }
        }
    }

    private static string Problem(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
