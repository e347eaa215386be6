using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The writer's mutable side of one series (only touched under the store's write lock): field numbering, the
/// shards with their sealed chunks and open head chunk; <see cref="Publish"/> builds its <see cref="SeriesState"/>.
/// </summary>
internal sealed class SeriesWriter
{
    // Arrays replaced on change (fields and shards are added rarely): fewer objects per series than lists, and the
    // field names double as the published snapshot.
    private string[] _fieldNames = [];
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

    /// <summary>Whether the series changed since its last publication.</summary>
    public bool Dirty { get; set; }

    public long PointCount { get; private set; }

    /// <summary>Appends one point.</summary>
    public void Append(long ticks, FieldSet fields)
    {
        var shardIndex = ticks >= 0 ? ticks / _shardTicks : ((ticks + 1) / _shardTicks) - 1;
        var shard = _lastShard;
        if (shard is null || shard.Index != shardIndex)
        {
            if (shard is not null && shardIndex > shard.Index)
            {
                // Age: a series that moved on to a later shard rarely writes to the earlier one again, so its open chunk is sealed.
                shard.SealHead();
            }

            shard = GetOrAddShard(shardIndex);
            _lastShard = shard;
        }

        var head = shard.HeadForAppend(_chunkSize);
        var row = head.AppendTimestamp(ticks);
        var names = fields.NameSpan;
        var values = fields.ValueSpan;
        for (var i = 0; i < names.Length; i++)
        {
            head.SetField(FieldNumber(names[i]), row, values[i]);
        }

        shard.Dirty = true;
        shard.PointCount++;
        PointCount++;
        Dirty = true;
    }

    /// <summary>Builds the state to publish (reusing unchanged shard views).</summary>
    public SeriesState Publish()
    {
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
            FieldNames = _fieldNames,
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
        var names = _fieldNames;
        for (var i = 0; i < names.Length; i++)
        {
            if (ReferenceEquals(names[i], name))
            {
                return i;
            }
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        _fieldNames = [.. names, name];
        return names.Length;
    }

    private ShardWriter GetOrAddShard(long index)
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

        var shard = new ShardWriter(index, _seal);
        var shards = new ShardWriter[_shards.Length + 1];
        Array.Copy(_shards, shards, lo);
        shards[lo] = shard;
        Array.Copy(_shards, lo, shards, lo + 1, _shards.Length - lo);
        _shards = shards;
        return shard;
    }
}
