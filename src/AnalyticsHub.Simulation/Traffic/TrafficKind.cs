namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Whose requests a request source generates.</summary>
internal enum TrafficKind
{
    /// <summary>A tenant's interactive traffic with daily and weekly shape.</summary>
    Tenant,

    /// <summary>The benign nightly batch job (02:00–03:00 UTC).</summary>
    NightlyBatch,

    /// <summary>Usage through a leaked key.</summary>
    Attacker,
}
