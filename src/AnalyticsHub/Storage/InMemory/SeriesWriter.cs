using AnalyticsHub.Pipeline;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The writer's mutable side of one series (only touched under the store's write lock): field numbering, the
/// shards with their sealed chunks and open head chunk; <see cref="Publish"/> builds its <see cref="SeriesState"/>.
/// </summary>
internal sealed class SeriesWriter
{
    // Field numbering: names in order of first write, grown by doubling, with a dictionary once a series has more than
    // a few fields, so a field costs O(1) to find or add however many there are (the count is capped by the store).
    private const int LinearFieldLookup = 8;
    private string[] _fieldNames = [];
    private int _fieldCount;
    private Dictionary<string, int>? _fieldIndex;
    private string[] _publishedFieldNames = [];

    // The field numbers of the last names array numbered (points of one payload kind share it): a point with the same
    // array is numbered by reference, without looking a name up.
    private string[]? _numberedNames;
    private int[] _numbers = [];

    // Shards are added rarely: an array replaced on change.
    private ShardWriter[] _shards = [];
    private readonly long _shardTicks;
    private readonly int _chunkSize;
    private readonly bool _seal;
    private ShardWriter? _lastShard;

    public SeriesWriter(int id, string measurement, TagSet tags, long shardTicks, int chunkSize, bool seal)
    {
        Id = id;
        Measurement = measurement;
        Tags = tags;
        _shardTicks = shardTicks;
        _chunkSize = chunkSize;
        _seal = seal;
    }

    public int Id { get; }

    public string Measurement { get; }

    public TagSet Tags { get; }

    /// <summary>
    /// The next of the store's series whose tags equal these (another measurement), or null: the series a tag set's hint
    /// reaches (<see cref="TagSet.SeriesHint"/>), one per measurement that shares it.
    /// </summary>
    public SeriesWriter? NextOfTags { get; set; }

    /// <summary>Whether the series changed since its last publication.</summary>
    public bool Dirty { get; set; }

    public long PointCount { get; private set; }

    /// <summary>How many distinct fields the series has.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>
    /// Numbers every field name of <paramref name="names"/>, adding the new ones, unless the series would then have more than
    /// <paramref name="max"/>: then nothing is added and <paramref name="over"/> names the first field past the limit.
    /// </summary>
    public bool TryAddFields(string[] names, int max, out string? over)
    {
        if (ReferenceEquals(names, _numberedNames))
        {
            over = null;
            return true;
        }

        var before = _fieldCount;
        if (before == 0 && _fieldNames.Length < names.Length)
        {
            // A new series' first point: its names at their exact count, not grown by doubling from 4.
            _fieldNames = new string[names.Length];
        }

        var numbers = _numbers.Length >= names.Length ? _numbers : new int[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            numbers[i] = FieldNumber(names[i]);
            if (_fieldCount > max)
            {
                TruncateFields(before);
                over = names[i];
                return false;
            }
        }

        _numbers = numbers;
        _numberedNames = names;
        over = null;
        return true;
    }

    /// <summary>Forgets the fields numbered from <paramref name="count"/> on (added by a write that was then rejected, so they hold no values).</summary>
    public void TruncateFields(int count)
    {
        _numberedNames = null;
        for (var i = count; i < _fieldCount; i++)
        {
            _fieldIndex?.Remove(_fieldNames[i]);
            _fieldNames[i] = null!;
        }

        _fieldCount = Math.Min(_fieldCount, count);
    }

    /// <summary>
    /// Appends a run of this series' points in one call: <paramref name="rows"/> index <paramref name="columns"/>, in
    /// the order the points are stored (a batch's order). Consecutive points of one time shard go in together: the
    /// shard is found once, and its head chunk is sized for them (<see cref="ShardWriter.HeadForAppend"/>); a point of
    /// another shard (out of order, or past a shard boundary) starts the next part of the run, and a full head chunk
    /// is sealed and followed by a new one. The rows stored are exactly those of appending the points one by one.
    /// </summary>
    public void AppendRun(PointColumns columns, ReadOnlySpan<int> rows)
    {
        var i = 0;
        while (i < rows.Length)
        {
            var shardIndex = ShardIndexOf(columns.Ticks(rows[i]));
            var shard = ShardFor(shardIndex);
            var end = i + 1;
            while (end < rows.Length && ShardIndexOf(columns.Ticks(rows[end])) == shardIndex)
            {
                end++;
            }

            shard.PointCount += end - i;
            shard.Dirty = true;
            while (i < end)
            {
                var head = shard.HeadForAppend(_chunkSize, _shardTicks, end - i, _fieldCount);
                var stop = Math.Min(end, i + head.Capacity - head.Count);
                for (; i < stop; i++)
                {
                    var row = rows[i];
                    SetFields(head, head.AppendTimestamp(columns.Ticks(row)), columns.NameArray(row), columns.FieldValues(row));
                }
            }
        }

        PointCount += rows.Length;
        Dirty = true;
    }

    /// <summary>Starts loading the shard the next append most likely goes to (the last one written; <see cref="CacheHint"/>).</summary>
    public void PrefetchShard() => CacheHint.Prefetch(_lastShard);

    /// <summary>Starts loading the head chunk of the last shard written (<see cref="CacheHint"/>): called after <see cref="PrefetchShard"/>, once the shard has arrived.</summary>
    public void PrefetchHead() => _lastShard?.PrefetchHead();

    private long ShardIndexOf(long ticks) => ticks >= 0 ? ticks / _shardTicks : ((ticks + 1) / _shardTicks) - 1;

    /// <summary>The shard to append to; moving on to a later shard seals the open chunk of the one left behind.</summary>
    private ShardWriter ShardFor(long shardIndex)
    {
        var shard = _lastShard;
        if (shard is null || shard.Index != shardIndex)
        {
            if (shard is not null && shardIndex > shard.Index)
            {
                // Age: a series that moved on to a later shard rarely writes to the earlier one again, so its open chunk is sealed.
                shard.SealHead();
            }

            shard = GetOrAddShard(shardIndex, shard);
            _lastShard = shard;
        }

        return shard;
    }

    private void SetFields(ColumnChunk head, int row, string[] names, ReadOnlySpan<FieldValue> values)
    {
        if (ReferenceEquals(names, _numberedNames))
        {
            var numbers = _numbers;
            for (var i = 0; i < names.Length; i++)
            {
                head.SetField(numbers[i], row, values[i]);
            }
        }
        else
        {
            for (var i = 0; i < names.Length; i++)
            {
                head.SetField(FieldNumber(names[i]), row, values[i]);
            }
        }
    }

    /// <summary>Builds the state to publish (reusing unchanged shard views).</summary>
    public SeriesState Publish()
    {
        if (_shards.Length == 1 && _shards[0].TryViewHeadOnly(out var head))
        {
            Dirty = false;
            return new SeriesState
            {
                Id = Id,
                Measurement = Measurement,
                Tags = Tags,
                FieldNames = PublishedFieldNames(),
                HeadOnly = (_shards[0].Index, head),
                PointCount = PointCount,
            };
        }

        var shards = new ShardView[_shards.Length];
        for (var i = 0; i < shards.Length; i++)
        {
            // A series with one shard republishes it on every touch: remembering its view would not be reused.
            shards[i] = _shards[i].Publish(remember: shards.Length > 1);
        }

        // Not remembered here: a reference from this long-lived writer to each new state would only dirty GC cards.
        var published = new SeriesState
        {
            Id = Id,
            Measurement = Measurement,
            Tags = Tags,
            FieldNames = PublishedFieldNames(),
            Shards = shards,
            PointCount = PointCount,
        };
        Dirty = false;
        return published;
    }

    /// <summary>Seals every open chunk; true when any was.</summary>
    public bool SealOpenChunks()
    {
        var any = false;
        foreach (var shard in _shards)
        {
            any |= shard.SealHead();
        }

        Dirty |= any;
        return any;
    }

    /// <summary>Removes the points in [start, end); returns how many. Rewritten chunks are copies, so readers of older snapshots are unaffected.</summary>
    public long DeleteRange(long start, long end)
    {
        long deleted = 0;
        var shards = new List<ShardWriter>(_shards);
        for (var i = shards.Count - 1; i >= 0; i--)
        {
            var shard = shards[i];
            var removed = shard.DeleteRange(start, end, _chunkSize);
            if (removed > 0)
            {
                deleted += removed;
                Dirty = true;
                if (shard.PointCount == 0)
                {
                    shards.RemoveAt(i);
                }
            }
        }

        _shards = [.. shards];

        _lastShard = null;
        PointCount -= deleted;
        return deleted;
    }

    private int FieldNumber(string name)
    {
        var number = FindField(name);
        if (number >= 0)
        {
            return number;
        }

        if (_fieldCount == _fieldNames.Length)
        {
            Array.Resize(ref _fieldNames, Math.Max(4, _fieldCount * 2));
        }

        number = _fieldCount++;
        _fieldNames[number] = name;
        if (_fieldIndex is not null)
        {
            _fieldIndex.Add(name, number);
        }
        else if (_fieldCount > LinearFieldLookup)
        {
            _fieldIndex = new Dictionary<string, int>(_fieldCount * 2, StringComparer.Ordinal);
            for (var i = 0; i < _fieldCount; i++)
            {
                _fieldIndex.Add(_fieldNames[i], i);
            }
        }

        return number;
    }

    private int FindField(string name)
    {
        if (_fieldIndex is not null)
        {
            return _fieldIndex.TryGetValue(name, out var found) ? found : -1;
        }

        var names = _fieldNames;
        for (var i = 0; i < _fieldCount; i++)
        {
            if (ReferenceEquals(names[i], name))
            {
                return i;
            }
        }

        for (var i = 0; i < _fieldCount; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The field names as an exact-length array, copied only when a field was added since the last publication.</summary>
    private string[] PublishedFieldNames()
    {
        if (_publishedFieldNames.Length != _fieldCount)
        {
            _publishedFieldNames = _fieldNames.AsSpan(0, _fieldCount).ToArray();
        }

        return _publishedFieldNames;
    }

    /// <summary>The shard of <paramref name="index"/>, added when missing; a shard that follows <paramref name="previous"/>'s window expects as many points.</summary>
    private ShardWriter GetOrAddShard(long index, ShardWriter? previous)
    {
        var lo = 0;
        var hi = _shards.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var midIndex = _shards[mid].Index;
            if (midIndex == index)
            {
                return _shards[mid];
            }

            if (midIndex < index)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var shard = new ShardWriter(index, _seal)
        {
            ExpectedRows = previous is not null && previous.Index == index - 1 ? (int)Math.Min(previous.PointCount, _chunkSize) : 0,
        };
        var shards = new ShardWriter[_shards.Length + 1];
        Array.Copy(_shards, shards, lo);
        shards[lo] = shard;
        Array.Copy(_shards, lo, shards, lo + 1, _shards.Length - lo);
        _shards = shards;
        return shard;
    }
}
