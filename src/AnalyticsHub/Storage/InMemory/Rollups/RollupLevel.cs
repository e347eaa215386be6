using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>The buckets of one rollup series at one resolution: bucket starts in ascending order, a cell per field.</summary>
internal sealed class RollupLevel(long resolutionTicks)
{
    private readonly List<long> _starts = [];
    private readonly List<RollupCell?[]> _cells = [];

    public long ResolutionTicks { get; } = resolutionTicks;

    /// <summary>The field names; a bucket's cell array is indexed by position here (shorter arrays lack later fields).</summary>
    public List<string> Fields { get; } = [];

    public int Count => _starts.Count;

    public long StartAt(int index) => _starts[index];

    public RollupCell?[] CellsAt(int index) => _cells[index];

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
            Fields.Add(field);
        }

        var index = _starts.Count > 0 && _starts[^1] < start ? ~_starts.Count : _starts.BinarySearch(start);
        bucketCreated = index < 0;
        if (bucketCreated)
        {
            index = ~index;
            _starts.Insert(index, start);
            _cells.Insert(index, new RollupCell?[Fields.Count]);
        }

        var cells = _cells[index];
        if (f >= cells.Length)
        {
            Array.Resize(ref cells, Fields.Count);
            _cells[index] = cells;
        }

        return cells[f] ??= create();
    }

    /// <summary>Removes the buckets starting before <paramref name="cutoff"/> and returns them, oldest first.</summary>
    public List<(long Start, RollupCell?[] Cells)> RemoveBefore(long cutoff)
    {
        var end = LowerBound(cutoff);
        var removed = new List<(long, RollupCell?[])>(end);
        for (var i = 0; i < end; i++)
        {
            removed.Add((_starts[i], _cells[i]));
        }

        _starts.RemoveRange(0, end);
        _cells.RemoveRange(0, end);
        return removed;
    }

    /// <summary>Packs the live sketches of the buckets starting before <paramref name="before"/>.</summary>
    public void Compact(long before = long.MaxValue)
    {
        for (var i = 0; i < _starts.Count && _starts[i] < before; i++)
        {
            foreach (var cell in _cells[i])
            {
                cell?.Compact();
            }
        }
    }
}
