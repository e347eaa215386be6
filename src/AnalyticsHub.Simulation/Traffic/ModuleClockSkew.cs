namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A module whose clock runs ahead (positive) or behind (negative): every timestamp it writes is shifted.</summary>
public sealed record ModuleClockSkew
{
    /// <summary>The module's wire name, e.g. <c>llm-sentinel</c>.</summary>
    public required string Module { get; set; }

    /// <summary>The shift in seconds; -240..240, so events stay within the validator's future-skew allowance.</summary>
    public required double Seconds { get; set; }
}
