namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A recurring benign pattern (e.g. the nightly batch job) and the tag its events carry.</summary>
public sealed record BenignPatternTruth
{
    /// <summary>The pattern's name, e.g. <c>nightly_batch</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The tag on its events, <c>key=value</c>, e.g. <c>benign=nightly_batch</c>.</summary>
    public required string Tag { get; init; }

    /// <summary>Its windows within the scenario.</summary>
    public required IReadOnlyList<TruthWindow> Windows { get; init; }
}
