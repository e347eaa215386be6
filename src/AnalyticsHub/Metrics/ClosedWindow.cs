using System.Globalization;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Metrics;

/// <summary>One closed window of one series: its statistics and quantile sketch, and the wire metrics built from them.</summary>
/// <remarks>The <see cref="Sketch"/> belongs to the aggregator and is reused after the sink call returns: clone it to keep it.</remarks>
public readonly record struct ClosedWindow
{
    internal ClosedWindow(MetricSeries series, TimeWindow window, long startTicks, long endTicks, in StreamingStats stats, QuantileSketch sketch)
    {
        Series = series;
        Window = window;
        Start = new DateTimeOffset(startTicks, TimeSpan.Zero);
        End = new DateTimeOffset(endTicks, TimeSpan.Zero);
        Stats = stats;
        Sketch = sketch;
    }

    /// <summary>Gets the series.</summary>
    public MetricSeries Series { get; }

    /// <summary>Gets the window size.</summary>
    public TimeWindow Window { get; }

    /// <summary>Gets the window's first instant (UTC).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Gets the first instant after the window (UTC).</summary>
    public DateTimeOffset End { get; }

    /// <summary>Gets the count, sum, extremes and moments of the window's values.</summary>
    public StreamingStats Stats { get; }

    /// <summary>Gets the quantile sketch of the window's values (lent for the sink call only).</summary>
    public QuantileSketch Sketch { get; }

    /// <summary>Builds the aggregated metric of the window, with statistics values (percentiles from the sketch).</summary>
    /// <returns>The metric.</returns>
    public AggregatedMetric ToAggregatedMetric() => new()
    {
        Name = Series.Name,
        Window = Window,
        WindowStart = Start,
        WindowEnd = End,
        Values = new StatsMetricValues(StatisticalMeasures.From(Stats, Sketch)),
        Tags = Series.Tags,
    };

    /// <summary>Builds a histogram metric with explicit buckets (decision 13), time-stamped with the window start.</summary>
    /// <param name="upperBounds">The inclusive upper bounds, finite and strictly increasing.</param>
    /// <returns>The metric.</returns>
    public HistogramMetric ToHistogramMetric(ReadOnlySpan<double> upperBounds) => new()
    {
        Name = Series.Name,
        Stats = StatisticalMeasures.From(Stats, Sketch),
        Buckets = Sketch.ToHistogramBuckets(upperBounds),
        Tags = Series.Tags,
        Timestamp = Start,
    };

    /// <summary>Builds a summary metric, time-stamped with the window start, with extra named percentiles from the sketch.</summary>
    /// <param name="extraQuantiles">Quantiles in [0, 1] to add as <c>percentiles</c>, named <c>p</c> + the percentage (0.999 is <c>p99.9</c>); none leaves the key out.</param>
    /// <returns>The metric.</returns>
    public SummaryMetric ToSummaryMetric(ReadOnlySpan<double> extraQuantiles = default)
    {
        Dictionary<string, double>? percentiles = null;
        if (!extraQuantiles.IsEmpty && Sketch.Count > 0)
        {
            percentiles = new Dictionary<string, double>(extraQuantiles.Length, StringComparer.Ordinal);
            foreach (var q in extraQuantiles)
            {
                percentiles["p" + (q * 100).ToString("0.###", CultureInfo.InvariantCulture)] = Sketch.Quantile(q);
            }
        }

        return new SummaryMetric
        {
            Name = Series.Name,
            Stats = StatisticalMeasures.From(Stats, Sketch),
            Percentiles = percentiles,
            Tags = Series.Tags,
            Timestamp = Start,
        };
    }
}
