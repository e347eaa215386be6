namespace AnalyticsHub.Simulation.Traffic;

/// <summary>What the delivery knobs did: counts, skews, gaps and silences.</summary>
public sealed record DeliveryTruth
{
    /// <summary>Events delivered, duplicates included.</summary>
    public required long EventsEmitted { get; init; }

    /// <summary>Second deliveries of an event already delivered (same id).</summary>
    public required long DuplicatesEmitted { get; init; }

    /// <summary>Events swallowed by gaps or a silent module.</summary>
    public required long EventsDropped { get; init; }

    /// <summary>Per-module clock skew in seconds, by module wire name.</summary>
    public required IReadOnlyDictionary<string, double> ClockSkewSeconds { get; init; }

    /// <summary>The gaps (no module delivers).</summary>
    public required IReadOnlyList<TruthWindow> Gaps { get; init; }

    /// <summary>The silent module's wire name, when one was configured.</summary>
    public string? SilentModule { get; init; }

    /// <summary>The silent module's window.</summary>
    public TruthWindow? SilentWindow { get; init; }
}
