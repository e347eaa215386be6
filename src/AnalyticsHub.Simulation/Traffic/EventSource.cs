namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// One producer of the simulation. The generator keeps every source in a priority queue by
/// <see cref="Next"/> and steps the earliest; a step puts zero or more events, all delivered at
/// <see cref="Next"/>, into the outbox. Memory is O(sources).
/// </summary>
internal abstract class EventSource
{
    /// <summary>The true time of the next step; <see cref="long.MaxValue"/> when the source is done.</summary>
    public long Next { get; protected set; }

    /// <summary>Produces the events due at <see cref="Next"/> and advances it.</summary>
    public abstract void Step(SimContext ctx);
}
