using AnalyticsHub.Events;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// One batch of newly stored events as a stage sees it, the hand-offs earlier stages put on it, and the way back in
/// for derived events.
/// </summary>
/// <remarks>
/// Reads and writes of hand-offs are checked against the running stage's declarations: reading a hand-off the stage
/// does not consume, or putting one it does not produce, throws <see cref="InvalidOperationException"/>, so an
/// undeclared dependency fails in the first test rather than depending silently on registration order.
/// </remarks>
public sealed class IngestionBatch
{
    private readonly List<AnalyticsEvent> _derived = [];
    // Shared by the views of one batch (one per lane of stages running at the same time): guarded by locking it.
    private readonly List<KeyValuePair<HandOff, object>> _values;

    internal IngestionBatch(IReadOnlyList<AnalyticsEvent> events, IReadOnlyList<object>? records = null)
    {
        Events = events;
        Records = records ?? [];
        _values = [];
    }

    /// <summary>
    /// A view of <paramref name="shared"/> for one lane of stages: the same events, records and hand-offs, its own
    /// running stage and derived events.
    /// </summary>
    internal IngestionBatch(IngestionBatch shared)
    {
        Events = shared.Events;
        Records = shared.Records;
        _values = shared._values;
    }

    /// <summary>The newly stored events, in the order they were stored.</summary>
    public IReadOnlyList<AnalyticsEvent> Events { get; }

    /// <summary>
    /// The records of the batch: items without an event store that reach the stages through a hand-off computed from
    /// them (the points of ingested metrics, read through <c>TimeSeriesHandOffs.Points</c>), in the order they were queued.
    /// </summary>
    internal IReadOnlyList<object> Records { get; }

    /// <summary>The stage running now; the pipeline sets it around each stage's call.</summary>
    internal StageNode? Stage { get; set; }

    internal IReadOnlyList<AnalyticsEvent> Derived => _derived;

    /// <summary>
    /// Reads a hand-off: the value its producer put on this batch (its <see cref="HandOff{T}.Empty"/> value when it put
    /// none), or, for a computed hand-off, the value computed once from the events.
    /// </summary>
    /// <exception cref="InvalidOperationException">The running stage does not declare the hand-off.</exception>
    public T Get<T>(HandOff<T> handOff)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(handOff);
        Check(handOff, produce: false);
        lock (_values)
        {
            if (TryFind(handOff, out var value))
            {
                return (T)value;
            }

            if (!handOff.IsComputed)
            {
                return handOff.Empty!;
            }

            var computed = handOff.Compute(this);
            _values.Add(new(handOff, computed));
            return computed;
        }
    }

    /// <summary>Puts the value of a hand-off this stage produces; a second put in the same batch replaces the first.</summary>
    /// <exception cref="InvalidOperationException">The running stage does not declare that it produces the hand-off.</exception>
    public void Put<T>(HandOff<T> handOff, T value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(handOff);
        ArgumentNullException.ThrowIfNull(value);
        Check(handOff, produce: true);
        lock (_values)
        {
            for (var i = 0; i < _values.Count; i++)
            {
                if (ReferenceEquals(_values[i].Key, handOff))
                {
                    _values[i] = new(handOff, value);
                    return;
                }
            }

            _values.Add(new(handOff, value));
        }
    }

    /// <summary>
    /// Emits an event the hub derived (an anomaly, a token cost, a budget alert, ...): it is stored and passes through
    /// every stage like any other event (wire format, decision 16). Build it with <see cref="DerivedEvents"/>.
    /// </summary>
    public void Emit(AnalyticsEvent derived)
    {
        ArgumentNullException.ThrowIfNull(derived);
        _derived.Add(derived);
    }

    /// <summary>
    /// Ends the batch's hand-offs: each value goes to its hand-off's release (a computed one's memory reused for a later
    /// batch) and the batch holds none any more. The pipeline calls it once every lane of the batch is done.
    /// </summary>
    internal void ReleaseHandOffs()
    {
        lock (_values)
        {
            foreach (var (handOff, value) in _values)
            {
                handOff.Release(value);
            }

            _values.Clear();
        }
    }

    /// <summary>Moves the events emitted on this view so far to the end of <paramref name="into"/>.</summary>
    internal void TakeDerived(List<AnalyticsEvent> into)
    {
        into.AddRange(_derived);
        _derived.Clear();
    }

    private bool TryFind(HandOff handOff, out object value)
    {
        foreach (var (key, stored) in _values)
        {
            if (ReferenceEquals(key, handOff))
            {
                value = stored;
                return true;
            }
        }

        value = null!;
        return false;
    }

    private void Check(HandOff handOff, bool produce)
    {
        if (Stage is not { } stage)
        {
            return;
        }

        if (Declares(stage.Produces, handOff) || (!produce && Declares(stage.Consumes, handOff)))
        {
            return;
        }

        throw new InvalidOperationException(produce
            ? $"Stage '{stage.Name}' put hand-off '{handOff.Name}' without declaring it in Produces."
            : $"Stage '{stage.Name}' read hand-off '{handOff.Name}' without declaring it in Consumes.");
    }

    private static bool Declares(HandOff[] declared, HandOff handOff)
    {
        for (var i = 0; i < declared.Length; i++)
        {
            if (ReferenceEquals(declared[i], handOff))
            {
                return true;
            }
        }

        return false;
    }
}
