using AnalyticsHub.Statistics;

namespace AnalyticsHub.Metrics;

/// <summary>Settings of a <see cref="WindowedAggregator"/>.</summary>
public sealed record WindowedAggregatorOptions
{
    /// <summary>Gets the windows to produce. Points are recorded into the finest; the others are merged from finer ones as they close.</summary>
    /// <remarks>Default: one minute and one hour. Every coarser window needs a finer configured one that nests in it (weeks do not nest in months).</remarks>
    public IReadOnlyList<TimeWindow> Windows { get; init; } = [TimeWindow.OneMinute, TimeWindow.OneHour];

    /// <summary>Gets how far behind the largest event time seen a point may be and still update its window (default one minute).</summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the most series (name + tag set) the aggregator tracks (default 100,000); new series beyond it are refused with <see cref="RecordStatus.KeyLimitReached"/>.</summary>
    public int MaxKeys { get; init; } = 100_000;

    /// <summary>Gets the bucket limit per sign of every window's quantile sketch (default <see cref="QuantileSketch.DefaultMaxBucketsPerSign"/>).</summary>
    public int MaxBucketsPerSign { get; init; } = QuantileSketch.DefaultMaxBucketsPerSign;

    /// <summary>Lists every problem with these settings; empty when they are valid.</summary>
    /// <returns>The problems, one sentence each.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Windows is null || Windows.Count == 0)
        {
            problems.Add("At least one window is required.");
        }
        else
        {
            var sorted = new List<TimeWindow>(Windows);
            sorted.Sort();
            for (var i = 0; i < sorted.Count; i++)
            {
                if (!Enum.IsDefined(sorted[i]))
                {
                    problems.Add($"Unknown window {(int)sorted[i]}.");
                }
                else if (i > 0 && sorted[i] == sorted[i - 1])
                {
                    problems.Add($"The window {sorted[i]} is listed twice.");
                }
                else if (i > 0 && !HasSource(sorted, i))
                {
                    problems.Add($"No finer configured window nests in {sorted[i]} (weeks do not nest in months); add {TimeWindow.OneDay} or finer.");
                }
            }
        }

        if (AllowedLateness < TimeSpan.Zero)
        {
            problems.Add("AllowedLateness must not be negative.");
        }

        if (MaxKeys < 1)
        {
            problems.Add("MaxKeys must be at least 1.");
        }

        if (MaxBucketsPerSign < 1 || MaxBucketsPerSign > QuantileSketch.MaxAllowedBucketsPerSign)
        {
            problems.Add($"MaxBucketsPerSign must be between 1 and {QuantileSketch.MaxAllowedBucketsPerSign}.");
        }

        return problems;
    }

    private static bool HasSource(List<TimeWindow> sorted, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (sorted[i].NestsIn(sorted[index]))
            {
                return true;
            }
        }

        return false;
    }
}
