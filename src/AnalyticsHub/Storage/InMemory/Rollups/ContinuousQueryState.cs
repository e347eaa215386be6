using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>A registered <see cref="ContinuousQuery"/>'s plan with the cache of its destination series.</summary>
internal sealed class ContinuousQueryState(ContinuousQueryPlan plan)
{
    private readonly Dictionary<TagSet, RollupLevel> _series = [];
    private long _generation = -1;

    public ContinuousQueryPlan Plan { get; } = plan;

    public ContinuousQuery Definition => Plan.Definition;

    /// <summary>Whether a point's series passes the query's tag filters and conditions.</summary>
    public bool Matches(TagSet tags) => Plan.Matches(tags, static (t, key) => t.TryGetValue(key, out var value) ? value : null);

    /// <summary>Rolls one point into the destination (caller holds the rollup write lock); returns the buckets created.</summary>
    public int Add(RollupStore rollups, TagSet tags, long ticks, FieldSet fieldSet)
    {
        // The destination series of a source series is looked up once; retention may remove emptied series, so the
        // cache is dropped whenever the store's generation moved (and when it grows large).
        if (_generation != rollups.Generation || _series.Count > 100_000)
        {
            _series.Clear();
            _generation = rollups.Generation;
        }

        if (!_series.TryGetValue(tags, out var level))
        {
            var groupTags = Plan.GroupTags(tags, static (t, key) => t.TryGetValue(key, out var value) ? value : null);
            level = rollups.GetOrAddSeries(Definition.DestinationMeasurement, groupTags, out _).GetOrAddLevel(Plan.WindowTicks);
            _series.Add(tags, level);
        }

        var start = Plan.BucketStart(ticks);
        var created = 0;
        var names = fieldSet.NameSpan;
        var values = fieldSet.ValueSpan;
        for (var i = 0; i < names.Length; i++)
        {
            if (!Plan.RollsField(names[i], values[i], out var number))
            {
                continue;
            }

            level.GetOrAdd(start, names[i], RollupCell.Empty, out var bucketCreated).Add(ticks, number);
            created += bucketCreated ? 1 : 0;
        }

        return created;
    }
}
