namespace AnalyticsHub.Simulation.Traffic;

/// <summary>One incident to inject: its template and, optionally, when it starts, how long it lasts and how strong it is.</summary>
public sealed record IncidentConfig
{
    /// <summary>The incident's story.</summary>
    public required IncidentTemplate Template { get; set; }

    /// <summary>Minutes after the scenario's start at which the incident begins; scheduled automatically when absent.</summary>
    public double? StartMinutes { get; set; }

    /// <summary>How long the incident lasts, in minutes; the template's default when absent.</summary>
    public double? DurationMinutes { get; set; }

    /// <summary>This incident's effect size, multiplying <see cref="ScenarioKnobs.EffectSize"/>; 1 when absent.</summary>
    public double? EffectSize { get; set; }
}
