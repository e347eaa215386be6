using AnalyticsHub.Metrics;

namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>
/// The mergeable summary of one field in one rollup bucket: statistics, a quantile sketch, and the first and last
/// values with their times when every value that went in was seen individually (raw data), so <c>first</c> and
/// <c>last</c> stay answerable.
/// </summary>
internal sealed class RollupCell
{
    private RollupCell(StreamingStats stats, QuantileSketch sketch, bool exactEnds)
    {
        Stats = stats;
        Sketch = sketch;
        ExactEnds = exactEnds;
    }

    public StreamingStats Stats;

    public QuantileSketch Sketch { get; }

    /// <summary>Whether <see cref="FirstTicks"/>/<see cref="LastTicks"/> are known (false once a summary without them is merged in).</summary>
    public bool ExactEnds { get; private set; }

    public long FirstTicks { get; private set; } = long.MaxValue;

    public double First { get; private set; }

    public long LastTicks { get; private set; } = long.MinValue;

    public double Last { get; private set; }

    /// <summary>An empty cell that raw values are added to.</summary>
    public static RollupCell Empty() => new(default, new QuantileSketch(), exactEnds: true);

    public void Add(long ticks, double value)
    {
        if (!Stats.TryAdd(value))
        {
            return;
        }

        Sketch.TryAdd(value);
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

    public void Merge(RollupCell other)
    {
        if (other.Stats.Count == 0)
        {
            return;
        }

        var wasEmpty = Stats.Count == 0;
        Stats.Merge(other.Stats);
        Sketch.Merge(other.Sketch);
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
    public void MergeSummary(in StreamingStats stats, QuantileSketch sketch)
    {
        Stats.Merge(stats);
        Sketch.Merge(sketch);
        ExactEnds = false;
    }

    public long GetMemoryBytes() => 48 + 72 + Sketch.GetMemoryBytes();
}
