namespace AnalyticsHub.Storage.InMemory;

/// <summary>A binary heap of run cursors ordered by their current (time, sequence) key: largest first when descending, smallest first when ascending.</summary>
internal sealed class RunHeap(bool descending, int capacity)
{
    private RunCursor[] _items = new RunCursor[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public ref RunCursor Top => ref _items[0];

    public void Push(RunCursor run)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        var i = Count++;
        _items[i] = run;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Before(in _items[i], in _items[parent]))
            {
                break;
            }

            (_items[i], _items[parent]) = (_items[parent], _items[i]);
            i = parent;
        }
    }

    /// <summary>Restores the heap after the top was advanced; removes it when it ran out.</summary>
    public void FixTop()
    {
        if (_items[0].IsEmpty)
        {
            Count--;
            _items[0] = _items[Count];
            _items[Count] = default;
            if (Count == 0)
            {
                return;
            }
        }

        var i = 0;
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= Count)
            {
                return;
            }

            var best = left + 1 < Count && Before(in _items[left + 1], in _items[left]) ? left + 1 : left;
            if (!Before(in _items[best], in _items[i]))
            {
                return;
            }

            (_items[i], _items[best]) = (_items[best], _items[i]);
            i = best;
        }
    }

    private bool Before(in RunCursor a, in RunCursor b)
    {
        var ta = a.CurrentTicks(descending);
        var tb = b.CurrentTicks(descending);
        if (ta != tb)
        {
            return descending ? ta > tb : ta < tb;
        }

        var sa = a.CurrentSequence(descending);
        var sb = b.CurrentSequence(descending);
        return descending ? sa > sb : sa < sb;
    }
}
