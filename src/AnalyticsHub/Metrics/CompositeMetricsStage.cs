using AnalyticsHub.Pipeline;
using AnalyticsHub.Statistics;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Metrics;

/// <summary>
/// The <c>composite_metrics</c> stage: evaluates the composite metrics of its <see cref="CompositeMetricRegistry"/> (the
/// cross-module metrics by default, the host's from the options or added at runtime) on the windows the <c>metrics</c>
/// stage closed (<see cref="MetricsHandOffs.ClosedWindows"/>), writes each value as a rollup series named after its
/// metric and hands them on as <see cref="MetricsHandOffs.CompositeMetrics"/>. Leave it out with
/// <c>DisabledStages = ["composite_metrics"]</c>: no composite is then computed or stored.
/// </summary>
/// <remarks>
/// Its work is per closed window, never per event: a batch that closes no window costs a hand-off read. As a stage of its
/// own it has its own entry in the hub's stage timing (<c>analyticshub.stage.duration</c>, tag <c>stage</c>). It writes
/// to the time-series store, so it runs in the <c>time_series</c> stage's lane (one order of series creation).
/// </remarks>
internal sealed class CompositeMetricsStage : IIngestionStage, ICompositeMetricSink
{
    /// <summary>The stage's name.</summary>
    public const string StageName = "composite_metrics";

    private static readonly HandOff[] Produced = [MetricsHandOffs.CompositeMetrics];
    private static readonly HandOff[] Consumed = [MetricsHandOffs.ClosedWindows];

    private readonly CompositeMetricEvaluator _evaluator;
    private readonly ITimeSeriesStore _store;
    private readonly List<CompositeMetricValue> _values = [];
    private readonly List<RollupBucket> _unwritten = [];
    private IngestionBatch? _evaluated;

    public CompositeMetricsStage(MetricsStageOptions options, CompositeMetricRegistry composites, ITimeSeriesStore store)
    {
        _evaluator = new CompositeMetricEvaluator(composites, this, null, options.CrossModuleMetrics ? new CrossModuleScores() : null);
        _store = store;
    }

    public string Name => StageName;

    /// <summary>The <c>metrics</c> stage's group: it evaluates that stage's windows and writes rollups, which need no order against raw points.</summary>
    public string? ConcurrencyGroup => MetricsStage.Group;

    public IReadOnlyList<HandOff> Produces => Produced;

    public IReadOnlyList<HandOff> Consumes => Consumed;

    public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        // A retried batch (the rollup write failed) is evaluated once and hands its composites to later stages once.
        if (!ReferenceEquals(_evaluated, batch))
        {
            Evaluate(batch);
        }

        return WriteRollupsAsync(cancellationToken);
    }

    /// <summary>Evaluates the last windows the <c>metrics</c> stage closed when the hub stops.</summary>
    public ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken) => ProcessAsync(batch, cancellationToken);

    void ICompositeMetricSink.OnCompositeMetric(CompositeMetric metric, IReadOnlyDictionary<string, string> tags) =>
        _values.Add(new CompositeMetricValue(metric, tags));

    private void Evaluate(IngestionBatch batch)
    {
        var windows = batch.Get(MetricsHandOffs.ClosedWindows);
        if (windows.Count > 0 && !_evaluator.IsIdle)
        {
            // The metrics stage hands its list: read the windows in place rather than copy each through an enumerator.
            ReadOnlySpan<ClosedWindow> span = windows switch
            {
                List<ClosedWindow> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
                ClosedWindow[] array => array,
                _ => [.. windows],
            };
            foreach (ref readonly var window in span)
            {
                _evaluator.OnWindowClosed(in window);
            }

            _evaluator.EvaluatePending();
        }

        if (_values.Count > 0)
        {
            batch.Put(MetricsHandOffs.CompositeMetrics, _values.ToArray());
            foreach (var value in _values)
            {
                if (RollupOf(value) is { } bucket)
                {
                    _unwritten.Add(bucket);
                }
            }

            _values.Clear();
        }

        _evaluated = batch;
    }

    /// <summary>Writes the queued composite values to the store's rollups; on failure they stay queued for the retry or the next batch.</summary>
    private async ValueTask WriteRollupsAsync(CancellationToken cancellationToken)
    {
        if (_unwritten.Count == 0)
        {
            return;
        }

        var result = await _store.WriteRollupsAsync(_unwritten, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The time-series store refused the composite metric values: {result.Errors[0].Code} at {result.Errors[0].Path}: {result.Errors[0].Message}");
        }

        _unwritten.Clear();
    }

    /// <summary>The rollup bucket of a composite value (one value in its window), or <see langword="null"/> above a day.</summary>
    private static RollupBucket? RollupOf(CompositeMetricValue composite)
    {
        var metric = composite.Metric;
        if (metric.Window > TimeWindow.OneDay)
        {
            return null;
        }

        var stats = default(StreamingStats);
        stats.TryAdd(metric.Value);
        var sketch = new QuantileSketch();
        sketch.TryAdd(metric.Value);
        return new RollupBucket
        {
            Measurement = metric.Name,
            Tags = composite.Tags,
            Field = RollupBucket.ValueField,
            Start = metric.Timestamp,
            Resolution = metric.Window.GetWindowRange(metric.Timestamp).End - metric.Timestamp,
            Stats = stats,
            Sketch = sketch,
        };
    }
}
