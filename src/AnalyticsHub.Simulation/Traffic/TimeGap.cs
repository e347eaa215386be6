namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A stretch of the scenario in which no module's events arrive (a collector outage).</summary>
public sealed record TimeGap
{
    /// <summary>Minutes after the scenario's start at which the gap begins.</summary>
    public required double StartMinutes { get; set; }

    /// <summary>How long the gap lasts, in minutes.</summary>
    public required double DurationMinutes { get; set; }
}
