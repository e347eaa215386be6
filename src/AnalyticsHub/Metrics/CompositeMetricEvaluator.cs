using AnalyticsHub.Statistics;

namespace AnalyticsHub.Metrics;

/// <summary>
/// A closed-window sink that evaluates composite metrics per window: it merges, per window size
/// and start, the windows of every metric a component reads (all series of the metric), and after
/// each close pass evaluates every definition and emits the composites that have a value.
/// </summary>
/// <remarks>
/// A (window, start) is evaluated once, after the close pass that delivered it, and only if at
/// least one component metric had a window there. Outcomes are counted in
/// <see cref="Computed"/>, <see cref="MissingComponents"/> and <see cref="Undefined"/>; see
/// <see cref="CompositeMetricDefinition"/> for when a formula has no value. Windows are forwarded
/// unchanged to the next sink, if any. Used from the aggregator's close pass only (not concurrently).
/// </remarks>
public sealed class CompositeMetricEvaluator : IClosedWindowSink
{
    private readonly IReadOnlyList<CompositeMetricDefinition> _definitions;
    private readonly ICompositeMetricSink _output;
    private readonly IClosedWindowSink? _next;
    private readonly HashSet<string> _metricNames = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(TimeWindow Window, long Start), WindowGroup> _pending = [];

    /// <summary>Creates an evaluator.</summary>
    /// <param name="definitions">The composite metrics to compute.</param>
    /// <param name="output">Where computed composites go.</param>
    /// <param name="next">A sink to forward every closed window to, or <see langword="null"/>.</param>
    public CompositeMetricEvaluator(IReadOnlyList<CompositeMetricDefinition> definitions, ICompositeMetricSink output, IClosedWindowSink? next = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(output);
        _definitions = [.. definitions];
        _output = output;
        _next = next;
        foreach (var definition in _definitions)
        {
            foreach (var component in definition.Components)
            {
                _metricNames.Add(component.MetricName);
            }
        }
    }

    /// <summary>Gets how many composites were computed and emitted.</summary>
    public long Computed { get; private set; }

    /// <summary>Gets how many evaluations gave no value because a component was missing.</summary>
    public long MissingComponents { get; private set; }

    /// <summary>Gets how many evaluations gave no value although every component was present (e.g. division by zero).</summary>
    public long Undefined { get; private set; }

    /// <inheritdoc/>
    public void OnWindowClosed(in ClosedWindow window)
    {
        _next?.OnWindowClosed(in window);
        if (!_metricNames.Contains(window.Series.Name))
        {
            return;
        }

        var groupKey = (window.Window, window.Start.UtcTicks);
        if (!_pending.TryGetValue(groupKey, out var group))
        {
            group = new WindowGroup(window.Start, window.End);
            _pending.Add(groupKey, group);
        }

        if (!group.Metrics.TryGetValue(window.Series.Name, out var merged))
        {
            merged = new MergedMetric(window.Sketch.MaxBucketsPerSign);
            group.Metrics.Add(window.Series.Name, merged);
        }

        var stats = window.Stats;
        merged.Stats.Merge(in stats);
        merged.Sketch.Merge(window.Sketch);
    }

    /// <inheritdoc/>
    public void OnClosePassCompleted(DateTimeOffset closedUpTo)
    {
        foreach (var pair in _pending)
        {
            foreach (var definition in _definitions)
            {
                var values = new double?[definition.Components.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    var component = definition.Components[i];
                    values[i] = pair.Value.Metrics.TryGetValue(component.MetricName, out var merged)
                        ? merged.Read(component.Stat, pair.Value.End - pair.Value.Start)
                        : null;
                }

                var evaluation = definition.Evaluate(values, pair.Key.Window, pair.Value.Start);
                switch (evaluation.Status)
                {
                    case CompositeEvaluationStatus.Computed:
                        Computed++;
                        _output.OnCompositeMetric(evaluation.Metric!);
                        break;
                    case CompositeEvaluationStatus.MissingComponents:
                        MissingComponents++;
                        break;
                    default:
                        Undefined++;
                        break;
                }
            }
        }

        _pending.Clear();
        _next?.OnClosePassCompleted(closedUpTo);
    }

    private sealed class WindowGroup(DateTimeOffset start, DateTimeOffset end)
    {
        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset End { get; } = end;

        public Dictionary<string, MergedMetric> Metrics { get; } = new(StringComparer.Ordinal);
    }

    private sealed class MergedMetric(int maxBucketsPerSign)
    {
        public StreamingStats Stats;

        public QuantileSketch Sketch { get; } = new(maxBucketsPerSign);

        public double? Read(StatType stat, TimeSpan duration)
        {
            if (Stats.Count == 0)
            {
                return null;
            }

            var value = stat switch
            {
                StatType.Avg => Stats.Mean,
                StatType.Min => Stats.Min,
                StatType.Max => Stats.Max,
                StatType.P50 => Sketch.Quantile(0.50),
                StatType.P95 => Sketch.Quantile(0.95),
                StatType.P99 => Sketch.Quantile(0.99),
                StatType.StdDev => Stats.StandardDeviation,
                StatType.Count => Stats.Count,
                StatType.Sum => Stats.Sum,
                StatType.Rate => Stats.Count / duration.TotalSeconds,
                _ => double.NaN,
            };
            return double.IsFinite(value) ? value : null;
        }
    }
}
