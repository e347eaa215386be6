using AnalyticsHub.Statistics;

namespace AnalyticsHub.Metrics;

/// <summary>
/// A closed-window sink that evaluates composite metrics per window: it merges, per window size and start (and per
/// value of a definition's <see cref="CompositeMetricDefinition.Dimensions"/>), the windows of every metric a component
/// reads, and after each close pass evaluates every definition of its <see cref="CompositeMetricRegistry"/> and emits the
/// composites that have a value.
/// </summary>
/// <remarks>
/// A (window, start) is evaluated once, after the close pass that delivered it, and only if at least one component
/// metric had a window there. Definitions run in the registry's order, so a composite that reads another reads the value
/// just computed for the same window (under its own dimension values; a composite without dimensions reads the merge of
/// all of the other's values). Outcomes are counted in <see cref="Computed"/>, <see cref="MissingComponents"/> and
/// <see cref="Undefined"/>; see <see cref="CompositeMetricDefinition"/> for when a formula has no value. Windows are
/// forwarded unchanged to the next sink, if any. Used from the aggregator's close pass only (not concurrently).
/// </remarks>
public sealed class CompositeMetricEvaluator : IClosedWindowSink
{
    private const int Global = -1;
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    // Each series' targets under a snapshot of the registry, by its dense key id: which merges its windows go to, with
    // the group key and tags of each dimension set computed once per series rather than once per window, so a window
    // costs two array reads. _planOwners[id] is the series planned (a window of another aggregator's series with the
    // same id replans); _plans[id] is null when nothing reads it. Cleared when the registry changes.
    private MetricSeries?[] _planOwners = [];
    private SeriesPlan?[] _plans = [];
    private readonly CompositeMetricRegistry _registry;
    private readonly ICompositeMetricSink _output;
    private readonly IClosedWindowSink? _next;
    private readonly CrossModuleScores? _scores;
    private readonly SortedDictionary<(TimeWindow Window, long Start), WindowGroup> _pending = [];
    private CompositeMetricRegistry.Snapshot? _planned;
    private CompositeMetricRegistry.Snapshot? _pass;
    private (TimeWindow Window, long Start) _lastGroupKey;
    private WindowGroup? _lastGroup;
    private double?[] _values = [];

    /// <summary>Creates an evaluator of fixed definitions.</summary>
    /// <param name="definitions">The composite metrics to compute.</param>
    /// <param name="output">Where computed composites go.</param>
    /// <param name="next">A sink to forward every closed window to, or <see langword="null"/>.</param>
    /// <exception cref="CompositeMetricException">Two definitions share a name, or the definitions read each other in a loop.</exception>
    public CompositeMetricEvaluator(IReadOnlyList<CompositeMetricDefinition> definitions, ICompositeMetricSink output, IClosedWindowSink? next = null)
        : this(new CompositeMetricRegistry(definitions ?? throw new ArgumentNullException(nameof(definitions))), output, next)
    {
    }

    /// <summary>Creates an evaluator of a registry's definitions, read afresh at every close pass.</summary>
    /// <param name="registry">The definitions.</param>
    /// <param name="output">Where computed composites go.</param>
    /// <param name="next">A sink to forward every closed window to, or <see langword="null"/>.</param>
    public CompositeMetricEvaluator(CompositeMetricRegistry registry, ICompositeMetricSink output, IClosedWindowSink? next = null)
        : this(registry, output, next, null)
    {
    }

    internal CompositeMetricEvaluator(CompositeMetricRegistry registry, ICompositeMetricSink output, IClosedWindowSink? next, CrossModuleScores? scores)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(output);
        _registry = registry;
        _output = output;
        _next = next;
        _scores = scores;
    }

    /// <summary>Gets how many composites were computed and emitted.</summary>
    public long Computed { get; private set; }

    /// <summary>Gets how many evaluations gave no value because a component was missing.</summary>
    public long MissingComponents { get; private set; }

    /// <summary>Gets how many evaluations gave no value although every component was present (e.g. division by zero).</summary>
    public long Undefined { get; private set; }

    /// <summary>Whether there is nothing to evaluate: no definition and no cross-module scores (windows are then only forwarded).</summary>
    internal bool IsIdle => _scores is null && _registry.Current.Definitions.Count == 0;

    /// <inheritdoc/>
    public void OnWindowClosed(in ClosedWindow window)
    {
        _next?.OnWindowClosed(in window);
        var series = window.Series;
        var snapshot = _pass ??= _registry.Current;
        var id = series.Key.Id;
        var plan = ReferenceEquals(_planned, snapshot) && (uint)id < (uint)_planOwners.Length && ReferenceEquals(_planOwners[id], series)
            ? _plans[id]
            : Plan(series, snapshot);
        if (plan is null)
        {
            return;
        }

        // Windows arrive per size and start, so consecutive ones mostly share their group.
        var groupKey = (window.Window, window.Start.UtcTicks);
        if (_lastGroup is not { } group || _lastGroupKey != groupKey)
        {
            if (!_pending.TryGetValue(groupKey, out group))
            {
                group = new WindowGroup(window.Start, window.End);
                _pending.Add(groupKey, group);
            }

            _lastGroupKey = groupKey;
            _lastGroup = group;
        }

        var stats = window.Stats;
        var sketch = plan.Quantiles ? window.Sketch : null;
        foreach (var target in plan.Targets)
        {
            group.Merge(target.Slot, target.Tags, in stats, sketch);
        }
    }

    /// <inheritdoc/>
    public void OnClosePassCompleted(DateTimeOffset closedUpTo)
    {
        EvaluatePending();
        _next?.OnClosePassCompleted(closedUpTo);
    }

    /// <summary>Evaluates every definition on the windows delivered since the last evaluation, then forgets them.</summary>
    internal void EvaluatePending()
    {
        // The snapshot the pass's windows were merged under, so a definition added meanwhile cannot mismatch the merges.
        var snapshot = _pass ?? _registry.Current;
        _pass = null;
        _lastGroup = null;
        foreach (var pair in _pending)
        {
            var window = pair.Key.Window;
            var group = pair.Value;
            var duration = group.End - group.Start;
            _scores?.Derive(window, group.Start, name => group.Find(new Slot(Global, string.Empty, name)), (metric, value) =>
            {
                group.Inject(new Slot(Global, string.Empty, metric.Name), NoTags, value);
                _output.OnCompositeMetric(metric, NoTags);
            });

            foreach (var definition in snapshot.Definitions)
            {
                if (!definition.EvaluatesOn(window))
                {
                    continue;
                }

                var set = snapshot.DimensionSetOf[definition];
                foreach (var (key, tags) in group.KeysOf(set))
                {
                    Evaluate(definition, window, group, set, key, tags, duration);
                }
            }
        }

        _pending.Clear();
    }

    private void Evaluate(CompositeMetricDefinition definition, TimeWindow window, WindowGroup group, int set, string key, IReadOnlyDictionary<string, string> tags, TimeSpan duration)
    {
        var count = definition.Components.Count;
        if (_values.Length < count)
        {
            _values = new double?[count];
        }

        for (var i = 0; i < count; i++)
        {
            var component = definition.Components[i];
            _values[i] = group.Find(new Slot(set, key, component.MetricName))?.Read(component.Stat, duration);
        }

        var evaluation = definition.Evaluate(_values.AsSpan(0, count), window, group.Start);
        switch (evaluation.Status)
        {
            case CompositeEvaluationStatus.Computed:
                Computed++;
                group.Inject(new Slot(set, key, definition.Name), tags, evaluation.Metric!.Value);
                if (set != Global)
                {
                    group.Inject(new Slot(Global, string.Empty, definition.Name), NoTags, evaluation.Metric.Value);
                }

                _output.OnCompositeMetric(evaluation.Metric, tags);
                break;
            case CompositeEvaluationStatus.MissingComponents:
                MissingComponents++;
                break;
            default:
                Undefined++;
                break;
        }
    }

    /// <summary>Where a series' windows are merged under a snapshot (null when nothing reads them), computed on its first window and kept.</summary>
    private SeriesPlan? Plan(MetricSeries series, CompositeMetricRegistry.Snapshot snapshot)
    {
        if (!ReferenceEquals(_planned, snapshot))
        {
            Array.Clear(_planOwners);
            Array.Clear(_plans);
            _planned = snapshot;
        }

        var id = series.Key.Id;

        var name = series.Name;
        var scored = _scores is not null && CrossModuleScores.Reads(name);
        var targets = new List<Target>();
        if (snapshot.InputDimensionSets.TryGetValue(name, out var sets))
        {
            foreach (var set in sets)
            {
                if (set == Global)
                {
                    scored = true;
                }
                else
                {
                    var (key, tags) = KeyOf(series.Tags, snapshot.DimensionSets[set]);
                    targets.Add(new Target(new Slot(set, key, name), tags));
                }
            }
        }

        if (scored)
        {
            targets.Insert(0, new Target(new Slot(Global, string.Empty, name), NoTags));
        }

        var quantiles = snapshot.QuantileInputs.Contains(name) || (_scores is not null && CrossModuleScores.ReadsQuantiles(name));
        var plan = targets.Count == 0 ? null : new SeriesPlan([.. targets], quantiles);
        if (id >= _plans.Length)
        {
            var length = Math.Max(id + 1, _plans.Length * 2);
            Array.Resize(ref _planOwners, length);
            Array.Resize(ref _plans, length);
        }

        _planOwners[id] = series;
        _plans[id] = plan;
        return plan;
    }

    /// <summary>The group key of a series under a list of dimensions, and the tags it stands for.</summary>
    private static (string Key, IReadOnlyDictionary<string, string> Tags) KeyOf(IReadOnlyDictionary<string, string> seriesTags, string[] dimensions)
    {
        var tags = new Dictionary<string, string>(dimensions.Length, StringComparer.Ordinal);
        var key = new System.Text.StringBuilder();
        foreach (var dimension in dimensions)
        {
            if (seriesTags.TryGetValue(dimension, out var value))
            {
                tags[dimension] = value;
                key.Append(value.Length).Append(':').Append(value);
            }

            key.Append('\u001f');
        }

        return (key.ToString(), tags);
    }

    /// <summary>One merge a series' windows go to, and the dimension values it stands for.</summary>
    private sealed record Target(Slot Slot, IReadOnlyDictionary<string, string> Tags);

    /// <summary>A series' merges, and whether its quantile sketches are read (otherwise only its statistics are merged).</summary>
    private sealed record SeriesPlan(Target[] Targets, bool Quantiles);

    /// <summary>A merge in a window group: a dimension set (or <see cref="Global"/>), a group key in it and a metric; hashed once.</summary>
    private readonly struct Slot(int set, string key, string metric) : IEquatable<Slot>
    {
        private readonly int _hash = HashCode.Combine(set, key, metric);

        public int Set { get; } = set;

        public string Key { get; } = key;

        public string Metric { get; } = metric;

        public bool Equals(Slot other) =>
            _hash == other._hash && Set == other.Set && string.Equals(Key, other.Key, StringComparison.Ordinal) && string.Equals(Metric, other.Metric, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is Slot other && Equals(other);

        public override int GetHashCode() => _hash;
    }

    /// <summary>The merged windows of one window size and start, per dimension set, group key and metric.</summary>
    private sealed class WindowGroup(DateTimeOffset start, DateTimeOffset end)
    {
        private readonly Dictionary<Slot, MergedMetric> _metrics = [];
        private readonly Dictionary<int, Dictionary<string, IReadOnlyDictionary<string, string>>> _keys = [];

        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset End { get; } = end;

        public MergedMetric? Find(Slot slot) => _metrics.GetValueOrDefault(slot);

        /// <summary>The group keys seen under a dimension set; the one global key for <see cref="Global"/>.</summary>
        public IEnumerable<(string Key, IReadOnlyDictionary<string, string> Tags)> KeysOf(int set)
        {
            if (set == Global)
            {
                return [(string.Empty, NoTags)];
            }

            return _keys.TryGetValue(set, out var keys) ? [.. keys.Select(p => (p.Key, p.Value))] : [];
        }

        /// <summary>Merges a window's statistics, and its sketch unless <paramref name="sketch"/> is null (no quantile of it is read).</summary>
        public void Merge(Slot slot, IReadOnlyDictionary<string, string> tags, in StreamingStats stats, QuantileSketch? sketch)
        {
            var merged = Get(slot, tags);
            merged.Stats.Merge(in stats);
            if (sketch is not null)
            {
                merged.SketchOf(sketch.MaxBucketsPerSign).Merge(sketch);
            }
        }

        public void Inject(Slot slot, IReadOnlyDictionary<string, string> tags, double value)
        {
            var merged = Get(slot, tags);
            merged.Stats.TryAdd(value);
            merged.SketchOf(QuantileSketch.DefaultMaxBucketsPerSign).TryAdd(value);
        }

        private MergedMetric Get(Slot slot, IReadOnlyDictionary<string, string> tags)
        {
            if (!_metrics.TryGetValue(slot, out var merged))
            {
                merged = new MergedMetric();
                _metrics.Add(slot, merged);
                if (!_keys.TryGetValue(slot.Set, out var keys))
                {
                    keys = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
                    _keys.Add(slot.Set, keys);
                }

                keys.TryAdd(slot.Key, tags);
            }

            return merged;
        }
    }

    /// <summary>The merge of one metric's windows in a group.</summary>
    internal sealed class MergedMetric
    {
        public StreamingStats Stats;

        private QuantileSketch? _sketch;

        /// <summary>Gets the merged sketch, or <see langword="null"/> when no sketch was merged (no quantile of the metric is read).</summary>
        public QuantileSketch? Sketch => _sketch;

        /// <summary>The sketch to merge into, created on first use with the bucket limit of the first sketch merged.</summary>
        public QuantileSketch SketchOf(int maxBucketsPerSign) => _sketch ??= new QuantileSketch(maxBucketsPerSign);

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
                StatType.P50 => _sketch?.Quantile(0.50) ?? double.NaN,
                StatType.P95 => _sketch?.Quantile(0.95) ?? double.NaN,
                StatType.P99 => _sketch?.Quantile(0.99) ?? double.NaN,
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
