using AnalyticsHub.Events;

namespace AnalyticsHub.Hosting;

/// <summary>One batch of newly stored events as a stage sees it, and the way back in for derived events.</summary>
public sealed class IngestionBatch
{
    private readonly List<AnalyticsEvent> _derived = [];

    internal IngestionBatch(IReadOnlyList<AnalyticsEvent> events)
    {
        Events = events;
    }

    /// <summary>The newly stored events, in the order they were stored.</summary>
    public IReadOnlyList<AnalyticsEvent> Events { get; }

    internal IReadOnlyList<AnalyticsEvent> Derived => _derived;

    /// <summary>
    /// Emits an event the hub derived (an anomaly, a token cost, a budget alert, ...): it is stored and
    /// passes through every stage like any other event (spec decision 16).
    /// </summary>
    public void Emit(AnalyticsEvent derived)
    {
        ArgumentNullException.ThrowIfNull(derived);
        _derived.Add(derived);
    }
}
