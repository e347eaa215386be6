using System.Runtime.CompilerServices;

namespace AnalyticsHub.Statistics;

/// <summary>
/// Running count, sum, minimum, maximum, mean and variance of a stream of doubles, updated in
/// constant time and memory and mergeable in any order.
/// </summary>
/// <remarks>
/// <para>
/// A mutable struct on purpose: it is 56 bytes of plain numbers that per-window and per-series
/// state embeds inline (in arrays or fields) without an allocation or a pointer to chase, and
/// <c>default</c> is a valid empty instance. Because it is a value, a copy is an independent
/// snapshot: update it through a local, a field or a <see langword="ref"/>, never through a
/// <see langword="readonly"/> field or an <see langword="in"/> parameter.
/// </para>
/// <para>
/// The sum is compensated (Kahan–Neumaier), so cancellation such as 1e16, 1, 1, -1e16 still sums
/// to 2. The variance uses Welford's update and Chan et al.'s parallel merge. Results computed in
/// a different order agree within 1e-9 × Σ|x| (sums, means) and 1e-9 × Σx² (sums of squared
/// deviations), per spec decision 10. Count, minimum and maximum are exact. Values whose sum or
/// squared deviations exceed the double range give infinite sums or variances.
/// </para>
/// <para>Not thread-safe: one writer at a time; merge per-thread instances on read.</para>
/// </remarks>
public struct StreamingStats
{
    private ulong _count;
    private double _sum;
    private double _compensation;
    private double _mean;
    private double _m2;
    private double _min;
    private double _max;

    /// <summary>Gets the number of values added.</summary>
    public readonly ulong Count => _count;

    /// <summary>Gets the compensated sum of the values (0 when empty).</summary>
    public readonly double Sum => _sum + _compensation;

    /// <summary>Gets the smallest value added, or <see cref="double.NaN"/> when empty.</summary>
    public readonly double Min => _count == 0 ? double.NaN : _min;

    /// <summary>Gets the largest value added, or <see cref="double.NaN"/> when empty.</summary>
    public readonly double Max => _count == 0 ? double.NaN : _max;

    /// <summary>Gets the arithmetic mean, or <see cref="double.NaN"/> when empty.</summary>
    public readonly double Mean
    {
        get
        {
            if (_count == 0)
            {
                return double.NaN;
            }

            // The compensated sum is the more accurate mean; Welford's running mean survives a
            // sum that overflowed.
            var sum = Sum;
            return double.IsFinite(sum) ? sum / _count : _mean;
        }
    }

    /// <summary>Gets the sum of squared deviations from the mean (Welford's M2).</summary>
    public readonly double SumOfSquaredDeviations => _m2;

    /// <summary>Gets the sample variance (divisor n - 1), or <see cref="double.NaN"/> with fewer than two values.</summary>
    public readonly double Variance => _count < 2 ? double.NaN : _m2 / (_count - 1);

    /// <summary>Gets the population variance (divisor n), or <see cref="double.NaN"/> when empty.</summary>
    public readonly double PopulationVariance => _count == 0 ? double.NaN : _m2 / _count;

    /// <summary>Gets the sample standard deviation (divisor n - 1), or <see cref="double.NaN"/> with fewer than two values.</summary>
    public readonly double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>Gets the population standard deviation (divisor n), or <see cref="double.NaN"/> when empty.</summary>
    public readonly double PopulationStandardDeviation => Math.Sqrt(PopulationVariance);

    /// <summary>Adds a value, refusing NaN and infinities.</summary>
    /// <param name="value">The value to add.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the value is NaN or infinite and nothing changed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(double value)
    {
        if (!double.IsFinite(value))
        {
            return false;
        }

        if (_count == 0)
        {
            _count = 1;
            _sum = value;
            _compensation = 0;
            _mean = value;
            _m2 = 0;
            _min = value;
            _max = value;
            return true;
        }

        _count++;
        AddCompensated(ref _sum, ref _compensation, value);
        var delta = value - _mean;
        _mean += delta / _count;
        _m2 += delta * (value - _mean);
        if (value < _min)
        {
            _min = value;
        }

        if (value > _max)
        {
            _max = value;
        }

        return true;
    }

    /// <summary>
    /// Adds a run of values in order, refusing NaN and infinities: the same state, bit for bit, as adding them one by one
    /// with <see cref="TryAdd(double)"/> (the same updates on a local copy, which the runtime keeps in registers).
    /// </summary>
    /// <param name="values">The values to add, in order (the order decides the rounding of the sum and the moments).</param>
    /// <returns>How many were added (the finite ones); the others changed nothing.</returns>
    public int TryAdd(ReadOnlySpan<double> values)
    {
        var run = this;
        var added = 0;
        foreach (var value in values)
        {
            added += run.TryAdd(value) ? 1 : 0;
        }

        this = run;
        return added;
    }

    /// <summary>Merges another instance into this one, as if its values had been added here.</summary>
    /// <param name="other">The statistics to merge in; it is not changed.</param>
    public void Merge(in StreamingStats other)
    {
        if (other._count == 0)
        {
            return;
        }

        if (_count == 0)
        {
            this = other;
            return;
        }

        double na = _count;
        double nb = other._count;
        var n = na + nb;
        var delta = other._mean - _mean;
        _mean += delta * (nb / n);
        _m2 += other._m2 + (delta * delta * (na / n) * nb);
        AddCompensated(ref _sum, ref _compensation, other._sum);
        _compensation += other._compensation;
        _count += other._count;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>Resets to the empty state.</summary>
    public void Reset() => this = default;

    /// <summary>The uncompensated sum, its compensation and the running mean: with the public parts, everything a store needs to rebuild this instance exactly.</summary>
    internal readonly (double Sum, double Compensation, double Mean) RawParts => (_sum, _compensation, _mean);

    /// <summary>Rebuilds an instance from its stored parts (see <see cref="RawParts"/>); a store's round trip, not an API for callers.</summary>
    internal static StreamingStats FromParts(ulong count, double sum, double compensation, double mean, double m2, double min, double max)
    {
        var stats = default(StreamingStats);
        if (count == 0)
        {
            return stats;
        }

        stats._count = count;
        stats._sum = sum;
        stats._compensation = compensation;
        stats._mean = mean;
        stats._m2 = m2;
        stats._min = min;
        stats._max = max;
        return stats;
    }

    // Neumaier's variant of Kahan summation: also exact when the addend is larger than the sum.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddCompensated(ref double sum, ref double compensation, double value)
    {
        var t = sum + value;
        if (Math.Abs(sum) >= Math.Abs(value))
        {
            compensation += (sum - t) + value;
        }
        else
        {
            compensation += (value - t) + sum;
        }

        sum = t;
    }
}
