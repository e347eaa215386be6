using System.Globalization;
using System.Text;
using AnalyticsHub.TimeSeries;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>
/// The rollup series of an <see cref="InMemoryTimeSeriesStore"/> (spec decision 9): per measurement, series by tag
/// set, levels by resolution, buckets holding a <see cref="RollupCell"/> per field.
/// </summary>
/// <remarks>
/// Guarded by one reader/writer lock: writers (rollup writes, continuous-query maintenance, retention) take it
/// exclusively, queries share it. Retention also publishes the raw snapshot under it, so a query that reads the
/// snapshot inside the lock sees raw data and rollups of the same moment, never a point twice or not at all.
/// </remarks>
internal sealed class RollupStore : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    public Dictionary<string, RollupMeasurement> Measurements { get; } = new(StringComparer.Ordinal);

    /// <summary>Moves whenever series may have been removed (retention), so cached series references are dropped.</summary>
    public long Generation { get; set; }

    public void EnterRead() => _lock.EnterReadLock();

    public void ExitRead() => _lock.ExitReadLock();

    public void EnterWrite() => _lock.EnterWriteLock();

    public void ExitWrite() => _lock.ExitWriteLock();

    /// <summary>The identity of a tag set: sorted key/value pairs with lengths, so no two sets share one.</summary>
    /// <remarks>A metric series' tags (<see cref="SortedTagMap"/>) are already sorted and immutable: their text is built once and kept on them.</remarks>
    public static string Identity(IReadOnlyDictionary<string, string> tags, out IReadOnlyDictionary<string, string> sorted)
    {
        if (tags is SortedTagMap known)
        {
            sorted = known;
            return known.RollupIdentity ??= IdentityText(known);
        }

        var copy = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in tags)
        {
            copy.Add(pair.Key, pair.Value);
        }

        sorted = copy;
        return IdentityText(copy);
    }

    /// <summary>The identity text of tags enumerated in ordinal key order.</summary>
    private static string IdentityText(IEnumerable<KeyValuePair<string, string>> sortedTags)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in sortedTags)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key.Length}:{key}{value.Length}:{value}|");
        }

        return text.ToString();
    }

    public RollupMeasurement GetOrAddMeasurement(string name)
    {
        if (!Measurements.TryGetValue(name, out var measurement))
        {
            measurement = new RollupMeasurement();
            Measurements.Add(name, measurement);
        }

        return measurement;
    }

    /// <summary>Finds or adds the series of a tag set (caller holds the write lock).</summary>
    /// <remarks>
    /// A metric series' tags (<see cref="SortedTagMap"/>) remember the rollup series they were last found in: while this
    /// store has removed no series since (<see cref="Generation"/>), the same measurement finds it again without hashing
    /// the measurement and the identity text.
    /// </remarks>
    public RollupSeries GetOrAddSeries(string measurement, IReadOnlyDictionary<string, string> tags, out bool created)
    {
        var known = tags as SortedTagMap;
        if (known?.RollupLookupHint is RollupSeriesHint hint
            && ReferenceEquals(hint.Store, this)
            && hint.Generation == Generation
            && string.Equals(hint.Measurement, measurement, StringComparison.Ordinal))
        {
            created = false;
            return hint.Series;
        }

        var state = GetOrAddMeasurement(measurement);
        var identity = Identity(tags, out var sorted);
        created = !state.Series.TryGetValue(identity, out var series);
        if (created)
        {
            series = new RollupSeries(sorted);
            state.Series.Add(identity, series);
        }

        if (known is not null)
        {
            known.RollupLookupHint = new RollupSeriesHint(this, Generation, measurement, series!);
        }

        return series!;
    }

    /// <summary>Validates every bucket, then merges them all in (or none, when one is bad).</summary>
    public TimeSeriesWriteResult Write(IReadOnlyList<RollupBucket> buckets)
    {
        var errors = new List<Problem>();
        for (var i = 0; i < buckets.Count; i++)
        {
            Validate(buckets[i], i, errors);
        }

        if (errors.Count > 0)
        {
            return new TimeSeriesWriteResult { PointsWritten = 0, SeriesCreated = 0, Errors = errors };
        }

        long values = 0;
        var created = 0;
        EnterWrite();
        try
        {
            foreach (var bucket in buckets)
            {
                if (bucket.Stats.Count == 0)
                {
                    continue;
                }

                var series = GetOrAddSeries(bucket.Measurement, bucket.Tags, out var isNew);
                created += isNew ? 1 : 0;
                var level = series.GetOrAddLevel(bucket.Resolution.Ticks);
                var stats = bucket.Stats;
                level.GetOrAdd(bucket.Start.UtcTicks, bucket.Field, RollupCell.Empty, out _).MergeSummary(stats, bucket.Sketch);
                values += (long)stats.Count;
            }
        }
        finally
        {
            ExitWrite();
        }

        return new TimeSeriesWriteResult { PointsWritten = values, SeriesCreated = created };
    }

    /// <summary>Adds the problems of the bucket at <paramref name="index"/>; its path (<c>[index]</c>) is built only for a problem.</summary>
    private static void Validate(RollupBucket? bucket, int index, List<Problem> errors)
    {
        if (bucket is null)
        {
            errors.Add(new(ProblemCodes.InvalidRollup, PathOf(index), "The bucket is null."));
            return;
        }

        if (string.IsNullOrEmpty(bucket.Measurement))
        {
            errors.Add(new(ProblemCodes.MeasurementRequired, PathOf(index) + ".measurement", "The measurement is required."));
        }

        if (string.IsNullOrEmpty(bucket.Field))
        {
            errors.Add(new(ProblemCodes.InvalidName, PathOf(index) + ".field", "The field name is required."));
        }

        if (bucket.Tags is null)
        {
            errors.Add(new(ProblemCodes.InvalidTag, PathOf(index) + ".tags", "The tags are required (empty for none)."));
        }
        else if (!ValidTags(bucket.Tags))
        {
            errors.Add(new(ProblemCodes.InvalidTag, PathOf(index) + ".tags", "Tag keys must be non-empty and values non-null."));
        }

        if (!RollupBucket.IsValidResolution(bucket.Resolution))
        {
            errors.Add(new(ProblemCodes.InvalidResolution, PathOf(index) + ".resolution", $"The resolution {bucket.Resolution} is not whole minutes dividing a day."));
        }
        else if (bucket.Start.UtcTicks % bucket.Resolution.Ticks != 0)
        {
            errors.Add(new(ProblemCodes.InvalidResolution, PathOf(index) + ".start", $"The start {bucket.Start:O} is not a multiple of the resolution {RollupBucket.LabelOf(bucket.Resolution)} since the Unix epoch."));
        }

        if (bucket.Sketch is null)
        {
            errors.Add(new(ProblemCodes.InvalidRollup, PathOf(index) + ".sketch", "The sketch is required."));
        }
        else if (bucket.Sketch.Count != bucket.Stats.Count)
        {
            errors.Add(new(ProblemCodes.InvalidRollup, PathOf(index) + ".sketch", $"The sketch holds {bucket.Sketch.Count} values but the statistics {bucket.Stats.Count}."));
        }
    }

    private static string PathOf(int index) => "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>Whether every tag key is non-empty and every value non-null; a metric series' tags (immutable) are read once.</summary>
    private static bool ValidTags(IReadOnlyDictionary<string, string> tags)
    {
        if (tags is SortedTagMap { RollupTagsValid: true })
        {
            return true;
        }

        foreach (var (key, value) in tags)
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                return false;
            }
        }

        if (tags is SortedTagMap known)
        {
            known.RollupTagsValid = true;
        }

        return true;
    }

    public void Dispose() => _lock.Dispose();
}
