namespace AnalyticsHub.Simulation.Traffic;

/// <summary>The truth of one injected incident.</summary>
public sealed record IncidentTruth
{
    /// <summary>A stable id within the scenario, e.g. <c>inc-1-deploy_regression</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The template's wire name, e.g. <c>deploy_regression</c>.</summary>
    public required string Template { get; init; }

    /// <summary>Whether this is a negative control: volume changes but nothing is a root cause.</summary>
    public required bool NegativeControl { get; init; }

    /// <summary>When the incident begins (its cause, or its first effect for an external cause).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>When its effects stop.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>The root cause; <see langword="null"/> for a negative control.</summary>
    public RootCauseTruth? Root { get; init; }

    /// <summary>The correlation types (the spec's eight wire names) an engine should report.</summary>
    public required IReadOnlyList<string> CorrelationTypes { get; init; }

    /// <summary>The steps of the story in causal order, each with the first event that shows it.</summary>
    public required IReadOnlyList<StageTruth> Stages { get; init; }

    /// <summary>The causal links between stages, with their lags.</summary>
    public required IReadOnlyList<CausalLinkTruth> CausalLinks { get; init; }

    /// <summary>Events that belong to the incident (root, onsets, alerts, violations, window aggregates), in stream order.</summary>
    public required IReadOnlyList<MemberTruth> Members { get; init; }

    /// <summary>Members left out of <see cref="Members"/> because of the cap.</summary>
    public required int MembersOmitted { get; init; }

    /// <summary>The series that deviate, with their anomaly windows.</summary>
    public required IReadOnlyList<AffectedSeries> AffectedSeries { get; init; }

    /// <summary>What the incident cost.</summary>
    public required ImpactTruth Impact { get; init; }
}
