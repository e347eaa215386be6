using AnalyticsHub.Statistics;

namespace AnalyticsHub.Metrics;

/// <summary>The mutable state of one open window of one series: statistics and a sketch. Pooled and reused.</summary>
internal sealed class WindowState
{
    public StreamingStats Stats;

    public WindowState(int maxBucketsPerSign, WindowedAggregator.Shard? owner)
    {
        Sketch = new QuantileSketch(maxBucketsPerSign);
        Owner = owner;
    }

    public QuantileSketch Sketch { get; }

    /// <summary>The shard whose pool the state returns to; null for the closer's rollup states.</summary>
    public WindowedAggregator.Shard? Owner { get; }

    public int KeyId { get; private set; }

    public long Start { get; private set; }

    public long End { get; private set; }

    public void Open(int keyId, long start, long end)
    {
        KeyId = keyId;
        Start = start;
        End = end;
    }

    public void Merge(WindowState other)
    {
        Stats.Merge(in other.Stats);
        Sketch.Merge(other.Sketch);
    }

    public void Reset()
    {
        Stats = default;
        Sketch.Reset();
    }

    /// <summary>Orders by start, then series id: the close pass's delivery order.</summary>
    public static int CompareStartThenKey(WindowState? a, WindowState? b)
    {
        var byStart = a!.Start.CompareTo(b!.Start);
        return byStart != 0 ? byStart : a.KeyId.CompareTo(b.KeyId);
    }
}
