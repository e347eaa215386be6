namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>Keeps the <see cref="Capacity"/> earliest distinct events seen (by timestamp, then arrival), in O(1) memory.</summary>
internal sealed class EarliestEvents
{
    public const int Capacity = 3;

    private readonly (long Ticks, long Sequence, Guid Id)[] _items = new (long, long, Guid)[Capacity];
    private int _count;

    public int Count => _count;

    public void Add(long ticks, long sequence, Guid id)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_items[i].Id == id)
            {
                return;
            }
        }

        var at = _count;
        while (at > 0 && Before(ticks, sequence, _items[at - 1]))
        {
            at--;
        }

        if (at >= Capacity)
        {
            return;
        }

        var last = Math.Min(_count, Capacity - 1);
        for (var i = last; i > at; i--)
        {
            _items[i] = _items[i - 1];
        }

        _items[at] = (ticks, sequence, id);
        _count = Math.Min(_count + 1, Capacity);
    }

    public RootCandidate[] ToCandidates()
    {
        var candidates = new RootCandidate[_count];
        for (var i = 0; i < _count; i++)
        {
            candidates[i] = RootCandidate.ForEvent(_items[i].Id);
        }

        return candidates;
    }

    private static bool Before(long ticks, long sequence, (long Ticks, long Sequence, Guid Id) other) =>
        ticks < other.Ticks || (ticks == other.Ticks && sequence < other.Sequence);
}
