using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>A registered <see cref="ContinuousQuery"/> compiled for maintenance: its filters, groups, fields and window.</summary>
internal sealed class ContinuousQueryState(ContinuousQuery definition, TimeSeriesQueryPlan plan, string[]? fields)
{
    public ContinuousQuery Definition { get; } = definition;

    public TimeSeriesQueryPlan Plan { get; } = plan;

    /// <summary>The fields rolled up, or null for every numeric field.</summary>
    public string[]? Fields { get; } = fields;

    public long WindowTicks => Plan.BucketTicks;

    /// <summary>Whether a point's series passes the query's tag filters and conditions.</summary>
    public bool Matches(TagSet tags) => Plan.MatchesTags(tags, static (t, key) => t.TryGetValue(key, out var value) ? value : null);

    /// <summary>The destination series' tags: the group-by tags the point has.</summary>
    public Dictionary<string, string> GroupTags(TagSet tags)
    {
        var group = new Dictionary<string, string>(Plan.GroupBy.Length, StringComparer.Ordinal);
        foreach (var key in Plan.GroupBy)
        {
            if (tags.TryGetValue(key, out var value))
            {
                group[key] = value;
            }
        }

        return group;
    }

    /// <summary>Rolls one point into the destination (caller holds the rollup write lock); returns the buckets created.</summary>
    public int Add(RollupStore rollups, TagSet tags, long ticks, FieldSet fieldSet, Dictionary<TagSet, RollupSeries> seriesCache)
    {
        if (!seriesCache.TryGetValue(tags, out var series))
        {
            series = rollups.GetOrAddSeries(Definition.DestinationMeasurement, GroupTags(tags), out _);
            seriesCache.Add(tags, series);
        }

        var level = series.GetOrAddLevel(WindowTicks);
        var start = ticks - (((ticks % WindowTicks) + WindowTicks) % WindowTicks);
        var created = 0;
        foreach (var (name, value) in fieldSet)
        {
            if (value.Kind is FieldValueKind.String or FieldValueKind.Boolean || !value.TryGetDouble(out var number)
                || (Fields is not null && Array.IndexOf(Fields, name) < 0))
            {
                continue;
            }

            level.GetOrAdd(start, name, RollupCell.Empty, out var bucketCreated).Add(ticks, number);
            created += bucketCreated ? 1 : 0;
        }

        return created;
    }
}
