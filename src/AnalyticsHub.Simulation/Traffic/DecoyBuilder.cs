namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A decoy's truth while the stream is generated.</summary>
internal sealed class DecoyBuilder(string action, string resourceId, string precedes)
{
    public Guid EventId { get; set; }

    public long Ticks { get; set; }

    public bool Emitted { get; set; }

    public DecoyTruth Build() => new()
    {
        EventId = EventId,
        Timestamp = SimTime.ToOffset(Ticks),
        Action = action,
        ResourceId = resourceId,
        Precedes = precedes,
        Emitted = Emitted,
    };
}
