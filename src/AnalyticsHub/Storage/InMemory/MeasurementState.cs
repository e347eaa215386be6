namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// A published, immutable inverted index of one measurement: every series id (sorted) and, per tag key, each
/// value's sorted posting list.
/// </summary>
/// <remarks>
/// Published once per batch that creates series of the measurement, as a set of counts over the writer's
/// append-only <see cref="PostingList"/>s (no id is copied at publication). <see cref="SeriesIds"/> and
/// <see cref="TagIndex"/> are materialised on first read and cached, so a query pays for the postings that grew
/// since the last query, and ingest pays nothing per existing series.
/// </remarks>
internal sealed class MeasurementState
{
    private readonly PostingList _all;
    private readonly Shape _shape;
    private readonly int[] _counts;
    private int[]? _seriesIds;
    private Dictionary<string, Dictionary<string, int[]>>? _tagIndex;

    private readonly IReadOnlySet<string>? _indexedTags;

    public MeasurementState(string name, PostingList all, int seriesCount, Shape shape, int[] counts, IReadOnlySet<string>? indexedTags = null)
    {
        _indexedTags = indexedTags;
        Name = name;
        _all = all;
        SeriesCount = seriesCount;
        _shape = shape;
        _counts = counts;
    }

    public string Name { get; }

    /// <summary>Whether <see cref="TagIndex"/> holds a tag's series ids; a filter on any other tag scans the series.</summary>
    public bool IsIndexed(string key) => _indexedTags is null || _indexedTags.Contains(key);

    /// <summary>How many series the measurement has in this state.</summary>
    public int SeriesCount { get; }

    /// <summary>Every series id, ascending.</summary>
    public int[] SeriesIds
    {
        get
        {
            var ids = Volatile.Read(ref _seriesIds);
            if (ids is null)
            {
                ids = _all.ToArray(SeriesCount);
                Volatile.Write(ref _seriesIds, ids);
            }

            return ids;
        }
    }

    /// <summary>Per tag key, each value's ascending series ids; must not be changed.</summary>
    public Dictionary<string, Dictionary<string, int[]>> TagIndex
    {
        get
        {
            var index = Volatile.Read(ref _tagIndex);
            if (index is null)
            {
                index = new Dictionary<string, Dictionary<string, int[]>>(_shape.Keys.Length, StringComparer.Ordinal);
                for (var k = 0; k < _shape.Keys.Length; k++)
                {
                    var (key, first, count) = _shape.Keys[k];
                    var values = new Dictionary<string, int[]>(count, StringComparer.Ordinal);
                    for (var p = first; p < first + count; p++)
                    {
                        values.Add(_shape.Values[p], _shape.Postings[p].ToArray(_counts[p]));
                    }

                    index.Add(key, values);
                }

                Volatile.Write(ref _tagIndex, index);
            }

            return index;
        }
    }

    /// <summary>The distinct values of each tag key, without materialising the postings.</summary>
    public IEnumerable<(string Key, int Values)> TagCardinalities()
    {
        foreach (var (key, _, count) in _shape.Keys)
        {
            yield return (key, count);
        }
    }

    /// <summary>Bytes of the index (the writer's posting lists at their capacity, keys and values).</summary>
    public long Bytes()
    {
        var bytes = 64L + _all.Bytes + 24 + (4L * _counts.Length);
        foreach (var (key, _, _) in _shape.Keys)
        {
            bytes += 80 + 22 + (2L * key.Length);
        }

        for (var p = 0; p < _shape.Values.Length; p++)
        {
            bytes += 24 + 22 + (2L * _shape.Values[p].Length) + (_counts[p] > 0 ? _shape.Postings[p].Bytes : 0);
        }

        return bytes;
    }

    /// <summary>The keys and values of an index (immutable; replaced when a key or value is added), postings flattened in key order.</summary>
    internal sealed class Shape
    {
        public static Shape Empty { get; } = new([], [], []);

        private Shape((string Key, int First, int Count)[] keys, string[] values, PostingList[] postings)
        {
            Keys = keys;
            Values = values;
            Postings = postings;
        }

        public (string Key, int First, int Count)[] Keys { get; }

        public string[] Values { get; }

        public PostingList[] Postings { get; }

        public static Shape Create(Dictionary<string, Dictionary<string, PostingList>> tags)
        {
            var keys = new (string, int, int)[tags.Count];
            var values = new List<string>();
            var postings = new List<PostingList>();
            var k = 0;
            foreach (var (key, byValue) in tags)
            {
                keys[k++] = (key, values.Count, byValue.Count);
                foreach (var (value, posting) in byValue)
                {
                    values.Add(value);
                    postings.Add(posting);
                }
            }

            return new Shape(keys, [.. values], [.. postings]);
        }
    }
}
