namespace AnalyticsHub.Metrics;

/// <summary>
/// Tumbling-window aggregation of metric points on event time: per series (name + tag set) and
/// window, running statistics and a quantile sketch, rolled up into coarser windows and delivered
/// to an <see cref="IClosedWindowSink"/> when the watermark passes the window's end.
/// </summary>
/// <remarks>
/// <para>
/// Windows align as decision 15 says (see <see cref="TimeWindowExtensions"/>). Points go into the
/// finest configured window only; each coarser window is the exact merge of the closed finer
/// windows nested in it (counts, extremes and sketch buckets exact; sums and moments within
/// decision 10's tolerance).
/// </para>
/// <para>
/// The watermark is the largest event time seen minus <see cref="WindowedAggregatorOptions.AllowedLateness"/>.
/// A window closes, is delivered and is evicted once the watermark reaches its end. A point whose
/// window has closed is refused with <see cref="RecordStatus.Late"/> and counted per series
/// (<see cref="GetLateCount(MetricKey)"/>); nothing is dropped silently. Idle streams close their
/// windows with <see cref="AdvanceWatermark"/>; <see cref="Flush"/> closes everything at shutdown.
/// </para>
/// <para>
/// Thread-safe. Each writer thread records into its own shard (its own open windows, behind a lock
/// only the close pass contends for), so writers on different cores do not share cache lines on
/// the hot path; shards are merged when their windows close, so totals are exact. Recording by
/// <see cref="MetricKey"/> allocates nothing once a series' window states exist (they are pooled).
/// </para>
/// </remarks>
public sealed partial class WindowedAggregator
{
    [ThreadStatic]
    private static WindowedAggregator? t_owner;

    [ThreadStatic]
    private static Shard? t_shard;

    // A thread's shards of every aggregator it writes to, for when it switches between aggregators.
    [ThreadStatic]
    private static System.Runtime.CompilerServices.ConditionalWeakTable<WindowedAggregator, Shard>? t_shards;

    private readonly TimeWindow[] _levels;
    private readonly int[] _sourceLevel;
    private readonly long _latenessTicks;
    private readonly int _maxKeys;
    private readonly int _maxBucketsPerSign;
    private readonly IClosedWindowSink _sink;

    private readonly Lock _registryLock = new();
    private readonly Dictionary<string, MetricSeries> _seriesByIdentity = new(StringComparer.Ordinal);
    private MetricSeries[] _series = new MetricSeries[64];
    private int _seriesCount;

    private readonly Lock _shardsLock = new();
    private Shard[] _shards = [];

    // The close pass: everything below is touched only under _closeLock.
    private readonly Lock _closeLock = new();
    private readonly Dictionary<(int KeyId, long Start), WindowState>[] _rollups;
    private readonly Stack<WindowState> _rollupPool = new();
    private readonly List<WindowState> _harvest = [];
    private readonly List<WindowState> _closing = [];
    private long _advancedMaxTicks = long.MinValue;
    private bool _completed;

    // Read on every point, written once per finest-window boundary.
    private long _closedUpTo = long.MinValue;
    private long _nextTrigger = long.MinValue;

    // The one shard of a single-writer aggregator; null when each writer thread has its own.
    private readonly Shard? _onlyShard;

    // RecordAll's grouping of a stretch of points by series (reused; one caller at a time).
    private readonly RunGrouping _runs = new();

    private long _closedWindows;
    private long _invalidValues;
    private long _keyLimitRejections;

    /// <summary>Creates an aggregator.</summary>
    /// <param name="options">The windows, lateness and limits.</param>
    /// <param name="sink">Where closed windows go.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public WindowedAggregator(WindowedAggregatorOptions options, IClosedWindowSink sink)
        : this(options, sink, singleWriter: false)
    {
    }

    /// <summary>
    /// Creates an aggregator; with <paramref name="singleWriter"/>, every point goes to one shard whatever the thread, for a
    /// caller that records from one thread at a time but not always the same one (a pipeline stage, whose lane runs on
    /// the thread pool): per-thread shards would then each keep open windows (sketches) of the same series.
    /// </summary>
    internal WindowedAggregator(WindowedAggregatorOptions options, IClosedWindowSink sink, bool singleWriter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid windowed aggregator options: " + string.Join(" ", problems), nameof(options));
        }

        var levels = new List<TimeWindow>(options.Windows);
        levels.Sort();
        _levels = [.. levels];
        _sourceLevel = new int[_levels.Length];
        _rollups = new Dictionary<(int, long), WindowState>[_levels.Length];
        _sourceLevel[0] = -1;
        for (var j = 1; j < _levels.Length; j++)
        {
            var source = j - 1;
            while (!_levels[source].NestsIn(_levels[j]))
            {
                source--;
            }

            _sourceLevel[j] = source;
            _rollups[j] = [];
        }

        _latenessTicks = options.AllowedLateness.Ticks;
        _maxKeys = options.MaxKeys;
        _maxBucketsPerSign = options.MaxBucketsPerSign;
        _sink = sink;
        Options = options;
        _onlyShard = singleWriter ? CreateShard() : null;
    }

    /// <summary>Gets the settings.</summary>
    public WindowedAggregatorOptions Options { get; }

    /// <summary>Gets the configured windows, finest first; points are recorded into the first.</summary>
    public IReadOnlyList<TimeWindow> Windows => _levels;

    /// <summary>Finds or adds the series of a metric name and tag set and returns its key.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <param name="tags">The tags (copied; order does not matter), or <see langword="null"/> for none.</param>
    /// <param name="key">The key, when found or added.</param>
    /// <returns><see langword="false"/> when the series is new and <see cref="WindowedAggregatorOptions.MaxKeys"/> series exist (counted in <see cref="WindowedAggregatorStatistics.KeyLimitRejections"/>).</returns>
    /// <remarks>Allocates (the identity text); call it once per series and record with the key.</remarks>
    public bool TryGetKey(string metricName, IReadOnlyDictionary<string, string>? tags, out MetricKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(metricName);
        var identity = MetricSeries.Identity(metricName, tags, out var sortedTags);
        lock (_registryLock)
        {
            if (_seriesByIdentity.TryGetValue(identity, out var existing))
            {
                key = existing.Key;
                return true;
            }

            var id = _seriesCount;
            if (id >= _maxKeys)
            {
                Interlocked.Increment(ref _keyLimitRejections);
                key = default;
                return false;
            }

            key = new MetricKey(id);
            var series = new MetricSeries(key, metricName, sortedTags);
            var array = _series;
            if (id == array.Length)
            {
                Array.Resize(ref array, array.Length * 2);
            }

            array[id] = series;
            Volatile.Write(ref _series, array);
            _seriesByIdentity.Add(identity, series);
            Volatile.Write(ref _seriesCount, id + 1);
            return true;
        }
    }

    /// <summary>Returns the series of a key.</summary>
    /// <param name="key">A key issued by this aggregator.</param>
    /// <returns>The series.</returns>
    /// <exception cref="ArgumentException">The key was not issued by this aggregator.</exception>
    public MetricSeries GetSeries(MetricKey key)
    {
        if ((uint)key.Id >= (uint)Volatile.Read(ref _seriesCount))
        {
            throw new ArgumentException("The key was not issued by this aggregator.", nameof(key));
        }

        return Volatile.Read(ref _series)[key.Id];
    }

    /// <summary>Records a point: allocation-free, safe from any number of threads.</summary>
    /// <param name="key">The series.</param>
    /// <param name="timestamp">The event time of the point.</param>
    /// <param name="value">The value; NaN and infinities are refused.</param>
    /// <returns>What happened to the point.</returns>
    public RecordStatus Record(MetricKey key, DateTimeOffset timestamp, double value) => Record(key, timestamp.UtcTicks, value);

    /// <summary>Records a point of a series given by name and tags (registering the series if new).</summary>
    /// <param name="metricName">The metric name.</param>
    /// <param name="tags">The tags, or <see langword="null"/>.</param>
    /// <param name="timestamp">The event time of the point.</param>
    /// <param name="value">The value; NaN and infinities are refused.</param>
    /// <returns>What happened to the point; <see cref="RecordStatus.KeyLimitReached"/> when the series is new and the limit is reached.</returns>
    /// <remarks>Builds the series identity on every call; hot paths should keep the <see cref="MetricKey"/>.</remarks>
    public RecordStatus Record(string metricName, IReadOnlyDictionary<string, string>? tags, DateTimeOffset timestamp, double value) =>
        TryGetKey(metricName, tags, out var key) ? Record(key, timestamp.UtcTicks, value) : RecordStatus.KeyLimitReached;

    /// <summary>Moves event time forward without a point, closing the windows the new watermark passes (for idle streams).</summary>
    /// <param name="eventTime">An event time; the watermark becomes this minus the allowed lateness, if that is later than it is.</param>
    public void AdvanceWatermark(DateTimeOffset eventTime) => Advance(eventTime.UtcTicks);

    /// <summary>Closes and delivers every open window, for shutdown. Event time is then over: later points are <see cref="RecordStatus.Late"/>.</summary>
    public void Flush()
    {
        lock (_closeLock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            CloseUpTo(long.MaxValue);
        }
    }

    /// <summary>Returns how many points of a series were refused as late.</summary>
    /// <param name="key">The series.</param>
    /// <returns>The count, over every writer.</returns>
    public long GetLateCount(MetricKey key)
    {
        long late = 0;
        foreach (var shard in Volatile.Read(ref _shards))
        {
            lock (shard.Gate)
            {
                late += shard.LateFor(key.Id);
            }
        }

        return late;
    }

    /// <summary>Returns how many points of a metric (all its series) were refused as late.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <returns>The count, over every series and writer.</returns>
    public long GetLateCount(string metricName)
    {
        long late = 0;
        var count = Volatile.Read(ref _seriesCount);
        var series = Volatile.Read(ref _series);
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(series[i].Name, metricName, StringComparison.Ordinal))
            {
                late += GetLateCount(series[i].Key);
            }
        }

        return late;
    }

    /// <summary>Returns a snapshot of the counters.</summary>
    /// <returns>The counters, summed over the writer shards.</returns>
    public WindowedAggregatorStatistics GetStatistics()
    {
        long recorded = 0, late = 0, maxTicks;
        var open = 0;
        var shards = Volatile.Read(ref _shards);
        long closedUpTo;
        lock (_closeLock)
        {
            maxTicks = _advancedMaxTicks;
            closedUpTo = _closedUpTo;
            for (var j = 1; j < _rollups.Length; j++)
            {
                open += _rollups[j].Count;
            }
        }

        foreach (var shard in shards)
        {
            lock (shard.Gate)
            {
                recorded += shard.Recorded;
                late += shard.Late;
                open += shard.OpenWindows;
                maxTicks = Math.Max(maxTicks, shard.MaxTicks);
            }
        }

        return new WindowedAggregatorStatistics
        {
            Keys = Volatile.Read(ref _seriesCount),
            Recorded = recorded,
            Late = late,
            InvalidValues = Interlocked.Read(ref _invalidValues),
            KeyLimitRejections = Interlocked.Read(ref _keyLimitRejections),
            OpenWindows = open,
            ClosedWindows = Interlocked.Read(ref _closedWindows),
            Shards = shards.Length,
            Watermark = maxTicks == long.MinValue ? null : ToInstant(Math.Max(maxTicks - _latenessTicks, 0)),
            ClosedUpTo = closedUpTo == long.MinValue ? null : ToInstant(closedUpTo),
        };
    }

    private static DateTimeOffset ToInstant(long ticks) =>
        ticks >= DateTimeOffset.MaxValue.UtcTicks ? DateTimeOffset.MaxValue : new DateTimeOffset(ticks, TimeSpan.Zero);

    private RecordStatus Record(MetricKey key, long ticks, double value)
    {
        var id = key.Id;
        if ((uint)id >= (uint)Volatile.Read(ref _seriesCount))
        {
            return RecordStatus.UnknownKey;
        }

        if (!double.IsFinite(value))
        {
            Interlocked.Increment(ref _invalidValues);
            return RecordStatus.InvalidValue;
        }

        var late = AddRun(id, new ReadOnlySpan<long>(in ticks), new ReadOnlySpan<double>(in value));
        if (late > 0)
        {
            return RecordStatus.Late;
        }

        if (ticks >= Volatile.Read(ref _nextTrigger))
        {
            Advance(ticks);
        }

        return RecordStatus.Recorded;
    }

    /// <summary>
    /// Records points in arrival order, with the same windows, statuses and counters as recording them one by one in
    /// that order: between two points that move the watermark, the order of points of different series changes
    /// nothing, so each stretch is grouped by series and each series' values (in their order) go to the shard as runs.
    /// </summary>
    /// <param name="keys">The series of each point.</param>
    /// <param name="ticks">The event time of each point, in UTC ticks.</param>
    /// <param name="values">The value of each point; NaN and infinities are refused.</param>
    /// <returns>How many points got each status.</returns>
    internal RecordCounts RecordAll(ReadOnlySpan<MetricKey> keys, ReadOnlySpan<long> ticks, ReadOnlySpan<double> values)
    {
        if (keys.Length != ticks.Length || keys.Length != values.Length)
        {
            throw new ArgumentException("Every point needs a key, a time and a value.", nameof(values));
        }

        var counts = default(RecordCounts);
        for (var first = 0; first < keys.Length;)
        {
            // The stretch ends at the first point that moves the watermark (recorded at or past the trigger): it is
            // recorded alone, after the points before it, as one by one.
            var trigger = Volatile.Read(ref _nextTrigger);
            var seriesCount = Volatile.Read(ref _seriesCount);
            var end = first;
            while (end < keys.Length
                && (ticks[end] < trigger || !double.IsFinite(values[end]) || (uint)keys[end].Id >= (uint)seriesCount))
            {
                end++;
            }

            RecordGrouped(keys[first..end], ticks[first..end], values[first..end], ref counts);
            if (end < keys.Length)
            {
                counts.Add(Record(keys[end], ticks[end], values[end]));
            }

            first = end + 1;
        }

        return counts;
    }

    /// <summary>Records a stretch of points none of which moves the watermark: per series, its values in order as runs.</summary>
    private void RecordGrouped(ReadOnlySpan<MetricKey> keys, ReadOnlySpan<long> ticks, ReadOnlySpan<double> values, ref RecordCounts counts)
    {
        if (keys.IsEmpty)
        {
            return;
        }

        var seriesCount = Volatile.Read(ref _seriesCount);
        lock (_runs.Gate)
        {
            var runs = _runs;
            runs.Prepare(keys.Length, seriesCount);

            // Count each series' values (the first pass), then place them series after series in arrival order.
            for (var i = 0; i < keys.Length; i++)
            {
                var id = keys[i].Id;
                if ((uint)id >= (uint)seriesCount)
                {
                    counts.UnknownKey++;
                    runs.RunOf[i] = -1;
                }
                else if (!double.IsFinite(values[i]))
                {
                    Interlocked.Increment(ref _invalidValues);
                    counts.InvalidValue++;
                    runs.RunOf[i] = -1;
                }
                else
                {
                    runs.RunOf[i] = runs.Count(id);
                }
            }

            runs.Place(ticks, values);

            // The stretch's runs under one hold of the writer's shard lock (not one per run): the close pass, which alone
            // contends for it, publishes a new boundary before it harvests, so the runs land in windows it will harvest
            // or are counted late against the boundary read here, as one by one. A stretch without runs takes no shard
            // (a writer that recorded nothing has none, as one by one).
            if (runs.SeriesCount > 0)
            {
                var shard = WriterShard();
                lock (shard.Gate)
                {
                    var closedUpTo = Volatile.Read(ref _closedUpTo);
                    for (var run = 0; run < runs.SeriesCount; run++)
                    {
                        var (keyId, start, length) = runs.Run(run);
                        var late = shard.AddRun(keyId, runs.Ticks.AsSpan(start, length), runs.Values.AsSpan(start, length), closedUpTo);
                        counts.Late += late;
                        counts.Recorded += length - late;
                    }
                }
            }

            runs.Clear();
        }
    }

    /// <summary>Adds one series' finite values, in order, through the writer's shard; returns how many were late.</summary>
    private int AddRun(int keyId, ReadOnlySpan<long> ticks, ReadOnlySpan<double> values)
    {
        var shard = WriterShard();
        lock (shard.Gate)
        {
            // Read under the shard lock: a close pass publishes the new boundary before it harvests
            // this shard, so a point either lands in a window that will be harvested or is counted late.
            return shard.AddRun(keyId, ticks, values, Volatile.Read(ref _closedUpTo));
        }
    }

    /// <summary>The shard the calling writer records into: the only one, or the thread's own.</summary>
    private Shard WriterShard() => _onlyShard ?? (ReferenceEquals(t_owner, this) ? t_shard! : AttachShard());

    private Shard AttachShard()
    {
        var shards = t_shards ??= [];
        if (!shards.TryGetValue(this, out var shard))
        {
            shard = CreateShard();
            shards.Add(this, shard);
        }

        t_owner = this;
        t_shard = shard;
        return shard;
    }

    private Shard CreateShard()
    {
        var shard = new Shard(_levels[0], _maxBucketsPerSign);
        lock (_shardsLock)
        {
            Volatile.Write(ref _shards, [.. _shards, shard]);
        }

        return shard;
    }

    private void Advance(long eventTicks)
    {
        lock (_closeLock)
        {
            if (_completed)
            {
                return;
            }

            _advancedMaxTicks = Math.Max(_advancedMaxTicks, eventTicks);
            var watermark = eventTicks - _latenessTicks;
            var target = TimeWindowExtensions.AlignStartTicks(_levels[0], Math.Max(watermark, 0));
            if (target > _closedUpTo)
            {
                CloseUpTo(target);
            }
        }
    }

    /// <summary>Closes every window ending at or before <paramref name="target"/> (under <see cref="_closeLock"/>).</summary>
    private void CloseUpTo(long target)
    {
        Volatile.Write(ref _closedUpTo, target);
        Volatile.Write(
            ref _nextTrigger,
            target == long.MaxValue ? long.MaxValue : SaturatingAdd(TimeWindowExtensions.NextStartTicks(_levels[0], target), _latenessTicks));

        var shards = Volatile.Read(ref _shards);
        foreach (var shard in shards)
        {
            lock (shard.Gate)
            {
                shard.Harvest(target, _harvest);
            }
        }

        // Merge the shards' partial windows of each (series, start), deliver, roll up.
        _harvest.Sort(WindowState.CompareStartThenKey);
        for (var i = 0; i < _harvest.Count;)
        {
            var merged = _harvest[i];
            var j = i + 1;
            for (; j < _harvest.Count && _harvest[j].KeyId == merged.KeyId && _harvest[j].Start == merged.Start; j++)
            {
                merged.Merge(_harvest[j]);
                Release(_harvest[j]);
            }

            Deliver(0, merged);
            Release(merged);
            i = j;
        }

        _harvest.Clear();
        foreach (var shard in shards)
        {
            if (shard.PendingReturns.Count > 0)
            {
                lock (shard.Gate)
                {
                    shard.ReturnPending();
                }
            }
        }

        for (var level = 1; level < _levels.Length; level++)
        {
            foreach (var pair in _rollups[level])
            {
                if (pair.Value.End <= target)
                {
                    _closing.Add(pair.Value);
                }
            }

            _closing.Sort(WindowState.CompareStartThenKey);
            foreach (var state in _closing)
            {
                _rollups[level].Remove((state.KeyId, state.Start));
                Deliver(level, state);
                Release(state);
            }

            _closing.Clear();
        }

        _sink.OnClosePassCompleted(ToInstant(target));
    }

    private void Deliver(int level, WindowState state)
    {
        var series = Volatile.Read(ref _series)[state.KeyId];
        var window = new ClosedWindow(series, _levels[level], state.Start, state.End, in state.Stats, state.Sketch);
        Interlocked.Increment(ref _closedWindows);
        _sink.OnWindowClosed(in window);

        for (var parent = level + 1; parent < _levels.Length; parent++)
        {
            if (_sourceLevel[parent] != level)
            {
                continue;
            }

            var parentWindow = _levels[parent];
            var start = TimeWindowExtensions.AlignStartTicks(parentWindow, state.Start);
            var rollups = _rollups[parent];
            if (!rollups.TryGetValue((state.KeyId, start), out var target))
            {
                target = _rollupPool.Count > 0 ? _rollupPool.Pop() : new WindowState(_maxBucketsPerSign, null);
                target.Open(state.KeyId, start, TimeWindowExtensions.NextStartTicks(parentWindow, start));
                rollups.Add((state.KeyId, start), target);
            }

            target.Merge(state);
        }
    }

    private void Release(WindowState state)
    {
        state.Reset();
        if (state.Owner is { } owner)
        {
            owner.PendingReturns.Add(state);
        }
        else
        {
            _rollupPool.Push(state);
        }
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
