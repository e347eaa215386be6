namespace AnalyticsHub.Metrics;

/// <summary>
/// Completes ingested counters and gauges from the previous metric of the same series (name and tags): a counter's
/// <see cref="CounterMetric.Rate"/> and a gauge's <see cref="GaugeMetric.PreviousValue"/> when the producer left them out.
/// </summary>
/// <remarks>
/// A counter's rate is (value − previous value) ÷ the seconds between them; a value below the previous one is a reset,
/// so the increase is the value itself (the Prometheus rule). A metric not later than the series' last one is left as
/// it is and does not replace it. At most <c>maxSeries</c> series are remembered; beyond, the memory starts over.
/// Thread-safe.
/// </remarks>
internal sealed class MetricContinuity(int maxSeries = 100_000)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Ticks, double Value)> _last = new(StringComparer.Ordinal);

    public Metric Complete(Metric metric)
    {
        double value;
        switch (metric)
        {
            case CounterMetric counter:
                value = counter.Value;
                break;
            case GaugeMetric gauge:
                value = gauge.Value;
                break;
            default:
                return metric;
        }

        var key = KeyOf(metric);
        var ticks = metric.Timestamp.UtcTicks;
        (long Ticks, double Value) previous;
        bool known;
        lock (_gate)
        {
            known = _last.TryGetValue(key, out previous);
            if (known && ticks <= previous.Ticks)
            {
                return metric;
            }

            if (_last.Count >= maxSeries && !known)
            {
                _last.Clear();
            }

            _last[key] = (ticks, value);
        }

        if (!known)
        {
            return metric;
        }

        return metric switch
        {
            CounterMetric { Rate: null } counter => counter with
            {
                Rate = (value >= previous.Value ? value - previous.Value : value) / TimeSpan.FromTicks(ticks - previous.Ticks).TotalSeconds,
            },
            GaugeMetric { PreviousValue: null } gauge => gauge with { PreviousValue = previous.Value },
            _ => metric,
        };
    }

    private static string KeyOf(Metric metric)
    {
        var key = new System.Text.StringBuilder(metric is CounterMetric ? "c\u001f" : "g\u001f").Append(metric.Name);
        foreach (var (name, value) in metric.Tags.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            key.Append('\u001f').Append(name).Append('=').Append(value);
        }

        return key.ToString();
    }
}
