namespace AnalyticsHub.TimeSeries;

/// <summary>
/// Exact order statistics by selection (introselect: quickselect with median-of-three pivots, falling back to
/// sorting one small segment when the recursion budget runs out) and the R-7 percentile of decision 10.
/// </summary>
internal static class Selection
{
    /// <summary>The R-7 percentile: h = (n - 1) q, interpolating between the order statistics at floor(h) and ceil(h).</summary>
    /// <param name="values">The values (reordered in place); must not be empty.</param>
    /// <param name="q">The quantile, 0 to 1.</param>
    /// <returns>The percentile.</returns>
    public static double PercentileR7(Span<double> values, double q)
    {
        var h = (values.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var low = Select(values, lo);
        var fraction = h - lo;
        if (fraction == 0 || lo + 1 >= values.Length)
        {
            return low;
        }

        // After selecting lo, every value right of it is >= it: the next order statistic is their minimum.
        var high = MinOf(values[(lo + 1)..]);
        return Interpolate(low, high, fraction);
    }

    /// <summary>
    /// The interpolation of decision 10 in the form <c>lo (1 - d) + hi d</c>, which is what DuckDB's <c>quantile_cont</c>
    /// computes, so exact percentiles agree with it bit for bit (the form <c>lo + (hi - lo) d</c> can differ in the last place).
    /// </summary>
    public static double Interpolate(double low, double high, double fraction) => (low * (1 - fraction)) + (high * fraction);

    /// <summary>Puts the k-th smallest value at index k (smaller ones left, larger right) and returns it.</summary>
    /// <param name="a">The values.</param>
    /// <param name="k">The rank, 0-based.</param>
    /// <returns>The k-th smallest value.</returns>
    public static double Select(Span<double> a, int k)
    {
        var lo = 0;
        var hi = a.Length - 1;
        var budget = (2 * (64 - ulong.LeadingZeroCount((ulong)a.Length))) + 8;
        while (hi > lo)
        {
            if (hi - lo < 24)
            {
                InsertionSort(a[lo..(hi + 1)]);
                return a[k];
            }

            if (budget-- == 0)
            {
                a[lo..(hi + 1)].Sort();
                return a[k];
            }

            var mid = lo + ((hi - lo) >> 1);
            if (a[mid] < a[lo])
            {
                (a[mid], a[lo]) = (a[lo], a[mid]);
            }

            if (a[hi] < a[lo])
            {
                (a[hi], a[lo]) = (a[lo], a[hi]);
            }

            if (a[hi] < a[mid])
            {
                (a[hi], a[mid]) = (a[mid], a[hi]);
            }

            var pivot = a[mid];
            var i = lo;
            var j = hi;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }

    private static double MinOf(ReadOnlySpan<double> values)
    {
        var min = values[0];
        for (var i = 1; i < values.Length; i++)
        {
            min = Math.Min(min, values[i]);
        }

        return min;
    }

    private static void InsertionSort(Span<double> a)
    {
        for (var i = 1; i < a.Length; i++)
        {
            var value = a[i];
            var j = i - 1;
            while (j >= 0 && a[j] > value)
            {
                a[j + 1] = a[j];
                j--;
            }

            a[j + 1] = value;
        }
    }
}
