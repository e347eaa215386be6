namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A source of planned one-off events (incident markers, bursts, decoys), each built when it is due.</summary>
internal sealed class ScheduledSource : EventSource
{
    private readonly List<(long Emit, int Order, Action<SimContext, SimRandom> Build)> _items = [];
    private readonly SimRandom _rng;
    private int _position;

    public ScheduledSource(SimRandom rng)
    {
        _rng = rng;
        Next = long.MaxValue;
    }

    /// <summary>Plans <paramref name="build"/> to run at true time <paramref name="emit"/>.</summary>
    public void Add(long emit, Action<SimContext, SimRandom> build) => _items.Add((emit, _items.Count, build));

    /// <summary>Sorts the plan; call once after the last <see cref="Add"/>.</summary>
    public ScheduledSource Seal()
    {
        _items.Sort(static (a, b) => a.Emit != b.Emit ? a.Emit.CompareTo(b.Emit) : a.Order.CompareTo(b.Order));
        Next = _items.Count > 0 ? _items[0].Emit : long.MaxValue;
        return this;
    }

    public override void Step(SimContext ctx)
    {
        var now = Next;
        while (_position < _items.Count && _items[_position].Emit == now)
        {
            _items[_position].Build(ctx, _rng);
            _position++;
        }

        Next = _position < _items.Count ? _items[_position].Emit : long.MaxValue;
    }
}
