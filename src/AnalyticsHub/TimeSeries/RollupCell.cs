using AnalyticsHub.Statistics;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The mergeable summary of one field in one rollup bucket: statistics, a quantile sketch, and the first and last
/// values with their times when every value that went in was seen individually (raw data), so <c>first</c> and
/// <c>last</c> stay answerable.
/// </summary>
/// <remarks>
/// The sketch is live (a <see cref="QuantileSketch"/> with dense bucket arrays) while values still arrive, and packed
/// (its compact binary form, tens of bytes for a few values) once <see cref="Compact"/> is called; packed sketches
/// merge into a query's sketches without being rebuilt. Retention compacts what it writes and every bucket older than
/// the newest of its level. A backend that stores rollups elsewhere rebuilds a cell from its stored statistics and
/// sketch with <see cref="MergeSummary"/>, and hands it to <see cref="AggregationGrid.AddRollup"/>. Not thread-safe:
/// writers hold the store's write lock, readers only read.
/// </remarks>
public sealed class RollupCell
{
    // Live sketches freed by Compact, reused by the next cell that needs one (downsampling packs each bucket right
    // after filling it, so a handful of dense sketches serve millions of buckets). Writers run one at a time per
    // store, but stores are independent: the pool is per thread.
    private const int PoolSize = 64;

    [ThreadStatic]
    private static Stack<QuantileSketch>? t_pool;

    private QuantileSketch? _live;
    private byte[]? _packed;

    private StreamingStats _stats;

    /// <summary>Count, sum, extremes and moments of the values.</summary>
    public ref readonly StreamingStats Stats => ref _stats;

    /// <summary>Whether <see cref="FirstTicks"/>/<see cref="LastTicks"/> are known (false once a summary without them is merged in).</summary>
    public bool ExactEnds { get; private set; } = true;

    /// <summary>The time of the earliest value (UTC ticks).</summary>
    public long FirstTicks { get; private set; } = long.MaxValue;

    /// <summary>The earliest value.</summary>
    public double First { get; private set; }

    /// <summary>The time of the latest value (UTC ticks).</summary>
    public long LastTicks { get; private set; } = long.MinValue;

    /// <summary>The latest value (the last written among equal times).</summary>
    public double Last { get; private set; }

    /// <summary>An empty cell.</summary>
    /// <returns>The cell.</returns>
    public static RollupCell Empty() => new();

    /// <summary>Adds one value seen individually; non-finite values are ignored.</summary>
    /// <param name="ticks">Its time (UTC ticks).</param>
    /// <param name="value">The value.</param>
    public void Add(long ticks, double value)
    {
        if (!_stats.TryAdd(value))
        {
            return;
        }

        Live().TryAdd(value);
        if (ticks < FirstTicks)
        {
            FirstTicks = ticks;
            First = value;
        }

        if (ticks >= LastTicks)
        {
            LastTicks = ticks;
            Last = value;
        }
    }

    /// <summary>Merges another cell into this one, as adding its values would.</summary>
    /// <param name="other">The cell merged.</param>
    public void Merge(RollupCell other)
    {
        if (other.Stats.Count == 0)
        {
            return;
        }

        var wasEmpty = Stats.Count == 0;
        _stats.Merge(other.Stats);
        other.MergeSketchInto(Live());
        ExactEnds = (ExactEnds || wasEmpty) && other.ExactEnds;
        if (!ExactEnds)
        {
            return;
        }

        if (other.FirstTicks < FirstTicks)
        {
            FirstTicks = other.FirstTicks;
            First = other.First;
        }

        if (other.LastTicks >= LastTicks)
        {
            LastTicks = other.LastTicks;
            Last = other.Last;
        }
    }

    /// <summary>Merges a summary written without its individual values (first and last become unknown).</summary>
    /// <param name="stats">The summary's statistics.</param>
    /// <param name="sketch">Its sketch (copied).</param>
    public void MergeSummary(in StreamingStats stats, QuantileSketch sketch)
    {
        var wasEmpty = Stats.Count == 0 && _live is null && _packed is null;
        _stats.Merge(stats);
        if (wasEmpty)
        {
            _packed = sketch.ToBinary();
        }
        else
        {
            Live().Merge(sketch);
        }

        ExactEnds = false;
    }

    /// <summary>Adds this cell's sketch to <paramref name="target"/>, from whichever form it is in.</summary>
    /// <param name="target">The sketch merged into.</param>
    public void MergeSketchInto(QuantileSketch target)
    {
        if (_live is not null)
        {
            target.Merge(_live);
        }
        else if (_packed is not null)
        {
            target.MergeBinary(_packed);
        }
    }

    /// <summary>Reads a quantile straight from a live sketch (queries hold the read lock); false when the sketch is packed.</summary>
    /// <param name="q">The quantile, 0..1.</param>
    /// <param name="value">The quantile's value.</param>
    /// <returns>Whether the sketch was live.</returns>
    public bool TryQuantileInPlace(double q, out double value)
    {
        value = _live?.Quantile(q) ?? double.NaN;
        return _live is not null;
    }

    /// <summary>The sketch in its compact binary form, whichever form it is held in.</summary>
    internal byte[] SketchBinary() => _live?.ToBinary() ?? _packed ?? new QuantileSketch().ToBinary();

    /// <summary>Rebuilds a cell exactly as a store saved it (statistics, packed sketch, first and last), for a backend that keeps rollups outside the process.</summary>
    internal static RollupCell Restore(in StreamingStats stats, byte[] sketch, bool exactEnds, long firstTicks, double first, long lastTicks, double last) => new()
    {
        _stats = stats,
        _packed = sketch,
        ExactEnds = exactEnds,
        FirstTicks = firstTicks,
        First = first,
        LastTicks = lastTicks,
        Last = last,
    };

    /// <summary>Packs a live sketch into its compact binary form.</summary>
    public void Compact()
    {
        if (_live is not null)
        {
            _packed = _live.ToBinary();
            var pool = t_pool ??= new Stack<QuantileSketch>(PoolSize);
            if (pool.Count < PoolSize)
            {
                _live.Reset();
                pool.Push(_live);
            }

            _live = null;
        }
    }

    private QuantileSketch Live()
    {
        if (_live is null)
        {
            _live = t_pool is { Count: > 0 } pool ? pool.Pop() : new QuantileSketch();
            if (_packed is not null)
            {
                _live.MergeBinary(_packed);
                _packed = null;
            }
        }

        return _live;
    }
}
