namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>A named incident engine the harness can run: how to make a fresh instance per scenario.</summary>
public sealed record IncidentEngineRegistration
{
    /// <summary>The name used in reports and on the command line, e.g. <c>attribute</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Makes a fresh engine for one scenario (only the <c>oracle</c> reads the scenario's planned truth).</summary>
    public required Func<IncidentScenario, IIncidentEngine> Create { get; init; }

    /// <summary>A one-line description for listings.</summary>
    public string Description { get; init; } = string.Empty;
}
