using System.Globalization;
using AnalyticsHub.Statistics;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>
/// Which rollup buckets answer the part of a query's range that raw data no longer covers (or all of it, for a
/// measurement that has only rollups), read under the rollup read lock.
/// </summary>
/// <remarks>
/// The rollup part is <c>[start, min(end, raw horizon))</c>. Per series, the levels whose resolution divides the
/// query's bucket width are used coarsest first (fewest buckets to merge; every level of a series summarises the same
/// values), each finer level filling only the time the coarser ones do not reach. When no level divides the width the
/// finest is used and a warning says so. Buckets are counted by their start.
/// </remarks>
internal sealed class RollupSelection
{
    private RollupSelection(long rawStart)
    {
        RawStart = rawStart;
    }

    /// <summary>Where raw data starts answering (the raw horizon, or the query start).</summary>
    public long RawStart { get; }

    /// <summary>The chosen buckets: a series, a level and the indices of its buckets.</summary>
    public List<(RollupSeries Series, RollupLevel Level, List<int> Buckets)> Parts { get; } = [];

    /// <summary>The labels of the resolutions used, finest first.</summary>
    public SortedSet<long> Resolutions { get; } = [];

    public bool IsEmpty => Parts.Count == 0;

    public static RollupSelection Create(RollupMeasurement? rollups, TimeSeriesQueryPlan plan, bool hasRaw, List<string> warnings)
    {
        if (rollups is null)
        {
            return new RollupSelection(plan.StartTicks);
        }

        var rollupEnd = hasRaw ? Math.Min(plan.EndTicks, rollups.RawHorizon) : plan.EndTicks;
        var selection = new RollupSelection(hasRaw ? Math.Max(plan.StartTicks, rollups.RawHorizon) : plan.EndTicks);
        if (rollupEnd <= plan.StartTicks)
        {
            return selection;
        }

        var width = plan.IsAggregated && plan.Window is { } window ? window.Ticks : 0;
        bool coarser = false, edge = false;
        foreach (var series in rollups.Series.Values)
        {
            if (!plan.MatchesTags(series.Tags, static (t, key) => t.TryGetValue(key, out var value) ? value : null))
            {
                continue;
            }

            var usable = series.Levels.FindAll(l => width == 0 || width % l.ResolutionTicks == 0);
            if (usable.Count == 0 && series.Levels.Count > 0)
            {
                usable.Add(series.Levels[0]);
                coarser = true;
            }

            var claimed = new List<(long Start, long End)>();
            for (var u = usable.Count - 1; u >= 0; u--)
            {
                var level = usable[u];
                List<int>? chosen = null;
                for (var i = level.LowerBound(plan.StartTicks); i < level.Count; i++)
                {
                    var start = level.StartAt(i);
                    if (start >= rollupEnd)
                    {
                        break;
                    }

                    if (IsClaimed(claimed, start))
                    {
                        continue;
                    }

                    (chosen ??= []).Add(i);
                    edge |= start + level.ResolutionTicks > rollupEnd;
                }

                if (chosen is not null)
                {
                    selection.Parts.Add((series, level, chosen));
                    selection.Resolutions.Add(level.ResolutionTicks);
                }

                if (level.Count > 0)
                {
                    claimed.Add((level.FirstStart, level.LastEnd));
                }
            }

            edge |= plan.StartTicks % (usable.Count > 0 ? usable[0].ResolutionTicks : 1) != 0;
        }

        if (coarser && width > 0)
        {
            warnings.Add($"Data before {Instant(rollupEnd)} is kept at {Labels(selection)}, coarser than the {RollupBucket.LabelOf(TimeSpan.FromTicks(width))} buckets asked for: each stored bucket is counted in the query bucket holding its start.");
        }

        if (edge && !selection.IsEmpty)
        {
            warnings.Add($"The range does not align with the stored {Labels(selection)} buckets: a stored bucket is counted when its start is inside the range.");
        }

        return selection;
    }

    /// <summary>The labels of the resolutions used, e.g. <c>5m</c>, <c>1h</c>.</summary>
    public IEnumerable<string> Labels() => Resolutions.Select(r => RollupBucket.LabelOf(TimeSpan.FromTicks(r)));

    private static string Labels(RollupSelection selection) => string.Join(", ", selection.Labels());

    private static string Instant(long ticks) =>
        ticks == long.MaxValue ? "the end of the range" : new DateTimeOffset(ticks, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture);

    private static bool IsClaimed(List<(long Start, long End)> claimed, long start)
    {
        foreach (var (s, e) in claimed)
        {
            if (start >= s && start < e)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sketch's relative accuracy, for warnings.</summary>
    public static string SketchAccuracy => QuantileSketch.RelativeAccuracy.ToString("P2", CultureInfo.InvariantCulture);
}
