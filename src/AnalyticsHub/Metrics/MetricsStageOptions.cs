
namespace AnalyticsHub.Metrics;

/// <summary>
/// The <c>metrics</c> stage: every numeric field of every time-series point is aggregated per series
/// (measurement + field + tags) in tumbling event-time windows; closed windows go to the time-series store's
/// rollups (queried with <see cref="MetricQuery"/>) and to later stages such as anomaly detection.
/// </summary>
public sealed class MetricsStageOptions
{
    /// <summary>The default windows: one minute (the anomaly detectors' resolution) and one hour.</summary>
    public static IReadOnlyList<TimeWindow> DefaultWindows { get; } = [TimeWindow.OneMinute, TimeWindow.OneHour];

    /// <summary>The default dimensions: the spec's default indexed tags (<c>IndexConfig</c>).</summary>
    public static IReadOnlyList<string> DefaultDimensions { get; } = ["source_module", "environment", "model_id"];

    /// <summary>
    /// The point tags a metric series keeps; <see langword="null"/> for <see cref="DefaultDimensions"/>. Points whose
    /// kept tags agree share a series, so high-cardinality tags (tenant, region) stay out of the aggregator and
    /// the detectors; they remain queryable in the raw time series.
    /// </summary>
    public string[]? Dimensions { get; set; }

    /// <summary>The windows kept, finest first after sorting; <see langword="null"/> for <see cref="DefaultWindows"/>.</summary>
    /// <remarks>Windows up to one day are persisted as rollups; weeks and months are aggregated but not persisted.</remarks>
    public TimeWindow[]? Windows { get; set; }

    /// <summary>How far behind the newest event time a point may arrive and still count (default one minute).</summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most metric series tracked (default 100,000); points of further series are counted and skipped.</summary>
    public int MaxSeries { get; set; } = 100_000;

    /// <summary>
    /// Whether the five cross-module metrics of spec 1.4 (<see cref="CrossModuleMetricDefinitions.CreateDefaults"/>) and the
    /// per-window scores they read (threat score, cost efficiency, module health, ...) are computed; on by default.
    /// </summary>
    public bool CrossModuleMetrics { get; set; } = true;

    /// <summary>
    /// Metrics also reported as a histogram on each closed window (<see cref="MetricDistributionOptions.UpperBounds"/>):
    /// stored as a time-series point of measurement <c>&lt;metric&gt;.histogram</c> (e.g.
    /// <c>llm_latency.latency_ms.histogram</c>), timestamped with the window start, tagged with the series' dimensions and
    /// <c>window</c> (<c>1m</c>, <c>1h</c>, ...), its fields those of <see cref="MetricPoints.ToFields"/>. None by default.
    /// </summary>
    public List<MetricDistributionOptions> Histograms { get; set; } = [];

    /// <summary>
    /// Metrics also reported as a summary on each closed window (<see cref="MetricDistributionOptions.Quantiles"/>):
    /// stored like <see cref="Histograms"/> under <c>&lt;metric&gt;.summary</c>. None by default.
    /// </summary>
    public List<MetricDistributionOptions> Summaries { get; set; } = [];

    private readonly List<CompositeMetricDefinition> _compositeMetrics = [];

    /// <summary>
    /// Adds one of the host's composite metrics: evaluated on every closed window besides the cross-module ones and written
    /// as a rollup series named after the metric (queried with <see cref="MetricQuery"/> like any metric). Cycles and names
    /// in use are reported when the hub starts; more can be defined at runtime through the hub's
    /// <see cref="CompositeMetricRegistry"/>.
    /// </summary>
    /// <remarks>Definitions are code, so they are added here rather than bound from configuration.</remarks>
    /// <param name="definition">The definition.</param>
    /// <returns>These options.</returns>
    public MetricsStageOptions AddCompositeMetric(CompositeMetricDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _compositeMetrics.Add(definition);
        return this;
    }

    /// <summary>The registry these options start with: the cross-module definitions (when on), then those of <see cref="AddCompositeMetric"/>.</summary>
    /// <returns>A new registry.</returns>
    /// <exception cref="CompositeMetricException">Two definitions share a name, or definitions read each other in a loop.</exception>
    public CompositeMetricRegistry CreateCompositeRegistry() =>
        new([.. CrossModuleMetrics ? CrossModuleMetricDefinitions.CreateDefaults() : [], .. _compositeMetrics]);

    /// <summary>The aggregator settings these options stand for.</summary>
    /// <returns>The settings.</returns>
    public WindowedAggregatorOptions ToAggregatorOptions() => new()
    {
        Windows = Windows ?? DefaultWindows,
        AllowedLateness = AllowedLateness,
        MaxKeys = MaxSeries,
    };

    internal void Validate(List<string> problems)
    {
        foreach (var dimension in Dimensions ?? [])
        {
            if (string.IsNullOrEmpty(dimension))
            {
                problems.Add("Metrics.Dimensions must not hold empty names.");
                break;
            }
        }

        try
        {
            _ = CreateCompositeRegistry();
        }
        catch (CompositeMetricException exception)
        {
            problems.Add("Metrics.CompositeMetrics: " + exception.Message);
        }

        foreach (var problem in ToAggregatorOptions().Validate())
        {
            problems.Add("Metrics." + problem);
        }

        var windows = Windows ?? DefaultWindows;
        for (var i = 0; i < (Histograms ?? []).Count; i++)
        {
            Histograms![i].Validate($"Metrics.Histograms[{i}]", histogram: true, windows, problems);
        }

        for (var i = 0; i < (Summaries ?? []).Count; i++)
        {
            Summaries![i].Validate($"Metrics.Summaries[{i}]", histogram: false, windows, problems);
        }
    }
}
