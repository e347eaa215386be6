using System.Globalization;

namespace AnalyticsHub.Metrics;

/// <summary>
/// A metric the <c>metrics</c> stage also reports, on each closed window, as a histogram or a summary (spec 1.4's
/// <c>HistogramMetric</c> / <c>SummaryMetric</c>), stored as a time-series point: see
/// <see cref="MetricsStageOptions.Histograms"/> and <see cref="MetricsStageOptions.Summaries"/>.
/// </summary>
public sealed class MetricDistributionOptions
{
    /// <summary>The metric, <c>&lt;measurement&gt;.&lt;field&gt;</c> as the stage names it, e.g. <c>llm_latency.latency_ms</c>.</summary>
    public string Metric { get; set; } = "";

    /// <summary>The window whose closing reports it; <see langword="null"/> (the default) for every window the stage keeps.</summary>
    public TimeWindow? Window { get; set; }

    /// <summary>For a histogram: the inclusive bucket upper bounds, finite and strictly increasing (required).</summary>
    /// <remarks>Counts are per bucket (decision 13); values above the last bound get one more bucket up to the window's maximum.</remarks>
    public double[]? UpperBounds { get; set; }

    /// <summary>
    /// For a summary: extra quantiles in [0, 1] beyond the statistics' p50, p95 and p99, stored as
    /// <c>quantile_p&lt;percent&gt;</c> (0.999 is <c>quantile_p99.9</c>); none by default.
    /// </summary>
    public double[]? Quantiles { get; set; }

    internal void Validate(string path, bool histogram, IReadOnlyList<TimeWindow> windows, List<string> problems)
    {
        var metric = Metric ?? "";
        var dot = metric.LastIndexOf('.');
        if (dot <= 0 || dot == metric.Length - 1)
        {
            problems.Add($"{path}.Metric must be '<measurement>.<field>' (e.g. llm_latency.latency_ms); it is '{metric}'.");
        }

        if (Window is { } window && !windows.Contains(window))
        {
            problems.Add($"{path}.Window {window} is not one of the windows the metrics stage keeps (Metrics.Windows).");
        }

        if (histogram)
        {
            var bounds = UpperBounds ?? [];
            if (bounds.Length == 0)
            {
                problems.Add($"{path}.UpperBounds needs at least one bound.");
            }

            for (var i = 0; i < bounds.Length; i++)
            {
                if (!double.IsFinite(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1])))
                {
                    problems.Add($"{path}.UpperBounds must be finite and strictly increasing; [{i}] is {bounds[i].ToString("R", CultureInfo.InvariantCulture)}.");
                    break;
                }
            }
        }
        else
        {
            foreach (var q in Quantiles ?? [])
            {
                if (!(q >= 0 && q <= 1))
                {
                    problems.Add($"{path}.Quantiles must lie in [0, 1]; {q.ToString("R", CultureInfo.InvariantCulture)} does not.");
                    break;
                }
            }
        }
    }
}
