using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>The buckets of one rollup series at one resolution: bucket starts in ascending order, a cell per field.</summary>
/// <remarks>
/// The cells of every bucket live in one array, bucket after bucket, one entry per field of <see cref="Fields"/> (a
/// field the level gains later widens every bucket's entries, once). A store keeps its rollups as long as its
/// retention allows: an array of cells per bucket was one more object per bucket for the collector to copy while
/// young and to mark on every full collection (353,066 of them on the hub's pinned mix of 2 M events,
/// docs/benchmarks.md, "Issue 36: fewer objects kept per series and bucket").
/// </remarks>
internal sealed class RollupLevel(long resolutionTicks)
{
    private readonly List<long> _starts = [];
    private RollupCell?[] _cells = [];

    public long ResolutionTicks { get; } = resolutionTicks;

    /// <summary>The field names; a bucket's cells are indexed by position here.</summary>
    public List<string> Fields { get; } = [];

    public int Count => _starts.Count;

    public long StartAt(int index) => _starts[index];

    /// <summary>The cells of the bucket at <paramref name="index"/>, one per field of <see cref="Fields"/> (null when the bucket has no value of it).</summary>
    public ArraySegment<RollupCell?> CellsAt(int index) => new(_cells, index * Fields.Count, Fields.Count);

    public long FirstStart => _starts.Count == 0 ? long.MaxValue : _starts[0];

    public long LastEnd => _starts.Count == 0 ? long.MinValue : _starts[^1] + ResolutionTicks;

    public int FieldIndex(string field) => Fields.IndexOf(field);

    /// <summary>The index of the first bucket starting at or after <paramref name="ticks"/>.</summary>
    public int LowerBound(long ticks)
    {
        var index = _starts.BinarySearch(ticks);
        return index >= 0 ? index : ~index;
    }

    public bool Contains(long start)
    {
        var index = _starts.BinarySearch(start);
        return index >= 0;
    }

    /// <summary>The cell of a field in the bucket starting at <paramref name="start"/>, created when absent.</summary>
    public RollupCell GetOrAdd(long start, string field, Func<RollupCell> create, out bool bucketCreated)
    {
        var f = Fields.IndexOf(field);
        if (f < 0)
        {
            f = Fields.Count;
            Widen();
            Fields.Add(field);
        }

        var stride = Fields.Count;
        var index = _starts.Count > 0 && _starts[^1] < start ? ~_starts.Count : _starts.BinarySearch(start);
        bucketCreated = index < 0;
        if (bucketCreated)
        {
            index = ~index;
            var count = _starts.Count;
            if ((count + 1) * stride > _cells.Length)
            {
                Array.Resize(ref _cells, Math.Max(4 * stride, 2 * (count + 1) * stride));
            }

            // Usually the last bucket: nothing to move.
            Array.Copy(_cells, index * stride, _cells, (index + 1) * stride, (count - index) * stride);
            Array.Clear(_cells, index * stride, stride);
            _starts.Insert(index, start);
        }

        return _cells[(index * stride) + f] ??= create();
    }

    /// <summary>Removes the buckets starting before <paramref name="cutoff"/> and returns them, oldest first.</summary>
    public List<(long Start, RollupCell?[] Cells)> RemoveBefore(long cutoff)
    {
        var end = LowerBound(cutoff);
        var stride = Fields.Count;
        var removed = new List<(long, RollupCell?[])>(end);
        for (var i = 0; i < end; i++)
        {
            removed.Add((_starts[i], _cells.AsSpan(i * stride, stride).ToArray()));
        }

        var count = _starts.Count;
        Array.Copy(_cells, end * stride, _cells, 0, (count - end) * stride);
        Array.Clear(_cells, (count - end) * stride, end * stride);
        _starts.RemoveRange(0, end);
        return removed;
    }

    /// <summary>Packs the live sketches of the buckets starting before <paramref name="before"/>.</summary>
    public void Compact(long before = long.MaxValue)
    {
        var stride = Fields.Count;
        for (var i = 0; i < _starts.Count && _starts[i] < before; i++)
        {
            foreach (var cell in _cells.AsSpan(i * stride, stride))
            {
                cell?.Compact();
            }
        }
    }

    /// <summary>Gives every bucket room for one more field (before it is added to <see cref="Fields"/>): entries move from the old stride to the new.</summary>
    private void Widen()
    {
        var stride = Fields.Count;
        var count = _starts.Count;
        if (count == 0)
        {
            return;
        }

        var wider = new RollupCell?[Math.Max(2 * count, 4) * (stride + 1)];
        for (var i = 0; i < count; i++)
        {
            Array.Copy(_cells, i * stride, wider, i * (stride + 1), stride);
        }

        _cells = wider;
    }
}
