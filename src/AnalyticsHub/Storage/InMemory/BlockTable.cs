namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The store's blocks in arrival order with their time bounds, and two monotone summaries that find the
/// blocks a time range can touch by binary search: the running maximum of block maxima (blocks before the
/// first one reaching <c>from</c> end too early) and the suffix minimum of block minima (blocks from the
/// first one whose suffix starts at or after <c>to</c> begin too late).
/// </summary>
/// <remarks>Only the last block changes; evicted blocks leave from the front. Used under the store's lock.</remarks>
internal sealed class BlockTable
{
    private EventBlock?[] _blocks = new EventBlock?[16];
    private long[] _min = new long[16];
    private long[] _max = new long[16];
    private long[] _prefixMax = new long[16];
    private long[] _suffixMin = new long[16];
    private int _first;
    private int _end;

    public int First => _first;

    public int End => _end;

    public int Count => _end - _first;

    public EventBlock this[int index] => _blocks[index]!;

    public EventBlock? Last => _end > _first ? _blocks[_end - 1] : null;

    public long MinTicks(int index) => _min[index];

    public long MaxTicks(int index) => _max[index];

    public void Add(EventBlock block)
    {
        if (_end == _blocks.Length)
        {
            MakeRoom();
        }

        _blocks[_end] = block;
        _min[_end] = long.MaxValue;
        _max[_end] = long.MinValue;
        _prefixMax[_end] = _end > _first ? _prefixMax[_end - 1] : long.MinValue;
        _suffixMin[_end] = long.MaxValue;
        _end++;
    }

    /// <summary>Records the last block's new bounds.</summary>
    public void UpdateLast(long min, long max)
    {
        var last = _end - 1;
        if (max > _max[last])
        {
            _max[last] = max;
            if (max > _prefixMax[last])
            {
                _prefixMax[last] = max;
            }
        }

        if (min < _min[last])
        {
            _min[last] = min;
            for (var i = last; i >= _first && _suffixMin[i] > min; i--)
            {
                _suffixMin[i] = min;
            }
        }
    }

    public void RemoveFirst()
    {
        _blocks[_first] = null;
        _first++;
    }

    /// <summary>The index range of blocks that may hold event times in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public void FindRange(long from, long to, out int lo, out int hi)
    {
        lo = Search(_prefixMax, _first, _end, from);
        hi = Search(_suffixMin, lo, _end, to);
    }

    /// <summary>The first index in [lo, hi) whose value is at least <paramref name="value"/> (the array is nondecreasing there).</summary>
    private static int Search(long[] values, int lo, int hi, long value)
    {
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (values[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void MakeRoom()
    {
        var count = Count;
        if (_first > 0 && count <= _blocks.Length / 2)
        {
            Array.Copy(_blocks, _first, _blocks, 0, count);
            Array.Clear(_blocks, count, _blocks.Length - count);
            Array.Copy(_min, _first, _min, 0, count);
            Array.Copy(_max, _first, _max, 0, count);
            Array.Copy(_suffixMin, _first, _suffixMin, 0, count);
            _first = 0;
            _end = count;
            var running = long.MinValue;
            for (var i = 0; i < count; i++)
            {
                running = Math.Max(running, _max[i]);
                _prefixMax[i] = running;
            }

            return;
        }

        var size = _blocks.Length * 2;
        Array.Resize(ref _blocks, size);
        Array.Resize(ref _min, size);
        Array.Resize(ref _max, size);
        Array.Resize(ref _prefixMax, size);
        Array.Resize(ref _suffixMin, size);
    }
}
