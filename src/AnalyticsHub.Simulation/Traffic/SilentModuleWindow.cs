namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A module that goes silent for a while: it emits nothing in its window.</summary>
public sealed record SilentModuleWindow
{
    /// <summary>The module's wire name, e.g. <c>llm-governance-dashboard</c>.</summary>
    public required string Module { get; set; }

    /// <summary>Minutes after the scenario's start at which the silence begins.</summary>
    public required double StartMinutes { get; set; }

    /// <summary>How long the silence lasts, in minutes.</summary>
    public required double DurationMinutes { get; set; }
}
