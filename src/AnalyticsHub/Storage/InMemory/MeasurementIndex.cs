using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The writer's side of one measurement's inverted index (touched only under the store's write lock): every series
/// id and, per tag key and value, an append-only <see cref="PostingList"/>. <see cref="Publish"/> captures the counts
/// into an immutable <see cref="MeasurementState"/>; the list of keys and values is copied only when one is added.
/// </summary>
internal sealed class MeasurementIndex(string name, IReadOnlySet<string>? indexedTags = null)
{
    private readonly Dictionary<string, Dictionary<string, PostingList>> _tags = new(StringComparer.Ordinal);
    private MeasurementState.Shape _shape = MeasurementState.Shape.Empty;
    private bool _shapeChanged;

    // The values of a tag that is not indexed share this list, which stays empty: the values are kept (for the
    // cardinality guard and report) but no series ids, and a filter on the tag scans the series instead.
    private static readonly PostingList NotIndexed = new();

    public string Name { get; } = name;

    /// <summary>Whether a tag's values keep their series ids (every tag when no <see cref="TimeSeries.IndexConfig"/> applies).</summary>
    public bool IsIndexed(string key) => indexedTags is null || indexedTags.Contains(key);

    public PostingList SeriesIds { get; } = new();

    /// <summary>The distinct values of a tag key so far.</summary>
    public int DistinctValues(string key) => _tags.TryGetValue(key, out var values) ? values.Count : 0;

    /// <summary>Whether the tag key already has the value.</summary>
    public bool HasValue(string key, string value) => _tags.TryGetValue(key, out var values) && values.ContainsKey(value);

    /// <summary>The ids of the series with a tag value (null when none).</summary>
    public PostingList? Posting(string key, string value) =>
        _tags.TryGetValue(key, out var values) && values.TryGetValue(value, out var posting) ? posting : null;

    /// <summary>Adds a new series (its id larger than any before).</summary>
    public void Add(int id, TagSet tags)
    {
        SeriesIds.Add(id);
        foreach (var (key, value) in tags.GetSortedPairs())
        {
            if (!_tags.TryGetValue(key, out var values))
            {
                values = new Dictionary<string, PostingList>(StringComparer.Ordinal);
                _tags.Add(key, values);
            }

            var indexed = IsIndexed(key);
            if (!values.TryGetValue(value, out var posting))
            {
                posting = indexed ? new PostingList() : NotIndexed;
                values.Add(value, posting);
                _shapeChanged = true;
            }

            if (indexed)
            {
                posting.Add(id);
            }
        }
    }

    /// <summary>The immutable state of the index as it is now.</summary>
    public MeasurementState Publish()
    {
        if (_shapeChanged)
        {
            _shape = MeasurementState.Shape.Create(_tags);
            _shapeChanged = false;
        }

        var postings = _shape.Postings;
        var counts = new int[postings.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = postings[i].Count;
        }

        return new MeasurementState(Name, SeriesIds, SeriesIds.Count, _shape, counts, indexedTags);
    }
}
