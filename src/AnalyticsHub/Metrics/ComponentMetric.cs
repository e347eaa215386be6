namespace AnalyticsHub.Metrics;

/// <summary>One input of a composite metric, as reported on the wire.</summary>
public sealed record ComponentMetric
{
    /// <summary>Gets the component name (the formula's variable).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the module the component comes from (a plain string on the wire, e.g. <c>llm-cost-ops</c>).</summary>
    public required string SourceModule { get; init; }

    /// <summary>Gets the component's value in the window.</summary>
    public required double Value { get; init; }

    /// <summary>Gets the component's weight, if the formula weights it (written as <c>null</c> otherwise).</summary>
    public double? Weight { get; init; }
}
