namespace AnalyticsHub.Anomalies;

/// <summary>The last N values, kept both in arrival order and sorted, so any quantile is O(1) and an update is O(N) memmove.</summary>
/// <remarks>Allocates only at construction. Not thread-safe.</remarks>
internal sealed class RollingQuantileWindow
{
    private readonly double[] _ring;
    private readonly double[] _sorted;
    private int _count;
    private int _next;

    public RollingQuantileWindow(int capacity)
    {
        _ring = new double[capacity];
        _sorted = new double[capacity];
    }

    public int Count => _count;

    public int Capacity => _ring.Length;

    public int StateSizeBytes => (2 * _ring.Length * sizeof(double)) + (2 * sizeof(int));

    public void Add(double value)
    {
        if (_count == _ring.Length)
        {
            var old = _ring[_next];
            var at = Array.BinarySearch(_sorted, 0, _count, old);
            Array.Copy(_sorted, at + 1, _sorted, at, _count - at - 1);
            _count--;
        }

        var insert = Array.BinarySearch(_sorted, 0, _count, value);
        if (insert < 0)
        {
            insert = ~insert;
        }

        Array.Copy(_sorted, insert, _sorted, insert + 1, _count - insert);
        _sorted[insert] = value;
        _count++;
        _ring[_next] = value;
        _next = _next + 1 == _ring.Length ? 0 : _next + 1;
    }

    /// <summary>The p-quantile (0..1) with linear interpolation; 0 when empty.</summary>
    public double Quantile(double p)
    {
        if (_count == 0)
        {
            return 0.0;
        }

        var position = p * (_count - 1);
        var below = (int)position;
        if (below >= _count - 1)
        {
            return _sorted[_count - 1];
        }

        var fraction = position - below;
        return _sorted[below] + (fraction * (_sorted[below + 1] - _sorted[below]));
    }

    /// <summary>A robust standard deviation: IQR/1.349, falling back to wider spreads when the middle is flat; 0 only when every value is equal.</summary>
    public double RobustScale()
    {
        var iqr = Quantile(0.75) - Quantile(0.25);
        if (iqr > 0)
        {
            return iqr / 1.349;
        }

        var decile = Quantile(0.9) - Quantile(0.1);
        if (decile > 0)
        {
            return decile / 2.563;
        }

        var range = _count == 0 ? 0.0 : _sorted[_count - 1] - _sorted[0];
        return range / 6.0;
    }

    public void Clear()
    {
        _count = 0;
        _next = 0;
    }
}
