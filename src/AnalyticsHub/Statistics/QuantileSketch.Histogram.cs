namespace AnalyticsHub.Statistics;

public sealed partial class QuantileSketch
{
    /// <summary>
    /// Derives explicit-boundary histogram buckets (per-bucket counts, inclusive upper bounds,
    /// spec decision 13) from this sketch.
    /// </summary>
    /// <param name="upperBounds">The inclusive upper bounds, finite and strictly increasing, e.g. <see cref="HistogramBoundaries.GenAiDurationSeconds"/>.</param>
    /// <returns>
    /// One bucket per bound, plus a final bucket whose upper bound is the observed maximum when
    /// some values lie above the last bound.
    /// </returns>
    /// <remarks>
    /// Each sketch bucket is assigned whole, by its representative value clamped to
    /// [<see cref="Min"/>, <see cref="Max"/>]. A sketch bucket that straddles a boundary b
    /// therefore lands on one side of it: a value is counted at or below b only if it is at most
    /// b / (1 - α), and above b only if it exceeds b / (1 + α), with α =
    /// <see cref="RelativeAccuracy"/> (about 0.54%). Values further from every boundary are
    /// counted exactly, and the total always equals <see cref="Count"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The bounds are empty, not finite, or not strictly increasing.</exception>
    public HistogramBucket[] ToHistogramBuckets(ReadOnlySpan<double> upperBounds)
    {
        if (upperBounds.IsEmpty)
        {
            throw new ArgumentException("At least one upper bound is required.", nameof(upperBounds));
        }

        for (var i = 0; i < upperBounds.Length; i++)
        {
            if (!double.IsFinite(upperBounds[i]) || (i > 0 && !(upperBounds[i] > upperBounds[i - 1])))
            {
                throw new ArgumentException(
                    $"Upper bounds must be finite and strictly increasing; bound [{i}] is {upperBounds[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.",
                    nameof(upperBounds));
            }
        }

        var counts = new ulong[upperBounds.Length + 1];
        var bound = 0;

        // Ascending value order: negatives from the largest magnitude down, zeros, positives up.
        for (var p = _negative.Length - 1; p >= 0 && _negative.Total != 0; p--)
        {
            var count = _negative.CountAt(p);
            if (count != 0)
            {
                bound = Assign(counts, upperBounds, bound, -Representative(_negative.Offset + p), count);
            }
        }

        if (_zeroCount != 0)
        {
            bound = Assign(counts, upperBounds, bound, 0, _zeroCount);
        }

        for (var p = 0; p < _positive.Length && _positive.Total != 0; p++)
        {
            var count = _positive.CountAt(p);
            if (count != 0)
            {
                bound = Assign(counts, upperBounds, bound, Representative(_positive.Offset + p), count);
            }
        }

        var overflow = counts[upperBounds.Length];
        var result = new HistogramBucket[overflow != 0 ? counts.Length : upperBounds.Length];
        for (var i = 0; i < upperBounds.Length; i++)
        {
            result[i] = new HistogramBucket(upperBounds[i], counts[i]);
        }

        if (overflow != 0)
        {
            result[upperBounds.Length] = new HistogramBucket(_max, overflow);
        }

        return result;
    }

    private int Assign(ulong[] counts, ReadOnlySpan<double> upperBounds, int bound, double representative, ulong count)
    {
        var value = Math.Clamp(representative, _min, _max);
        while (bound < upperBounds.Length && value > upperBounds[bound])
        {
            bound++;
        }

        counts[bound] += count;
        return bound;
    }
}
