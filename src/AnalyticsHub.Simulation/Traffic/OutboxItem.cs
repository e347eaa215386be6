using AnalyticsHub.Events;

namespace AnalyticsHub.Simulation.Traffic;

/// <summary>An event a source produced in one step, before the delivery knobs (drop, duplicate) see it.</summary>
internal struct OutboxItem
{
    public AnalyticsEvent Event;

    /// <summary>The true time the event is delivered at (its timestamp before skew, or later for a late root).</summary>
    public long EmitTicks;

    public bool Dropped;
}
