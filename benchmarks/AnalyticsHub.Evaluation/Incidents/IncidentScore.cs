namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>An engine's scores over a set of scenarios; the definitions are in docs/simulation.md, "Incident scoring".</summary>
/// <remarks>A metric whose denominator is empty is <see langword="null"/> (written as JSON <c>null</c>).</remarks>
public sealed record IncidentScore
{
    /// <summary>The seeds of the scenarios scored, in order.</summary>
    public IReadOnlyList<ulong> Seeds { get; init; } = [];

    /// <summary>Scenarios scored.</summary>
    public required int Scenarios { get; init; }

    /// <summary>True incidents, negative controls included.</summary>
    public required int TrueIncidents { get; init; }

    /// <summary>True incidents whose root can be named: not negative controls, and an event root was delivered.</summary>
    public required int RootedIncidents { get; init; }

    /// <summary>Predicted incidents.</summary>
    public required int PredictedIncidents { get; init; }

    /// <summary>True incidents matched to a predicted one.</summary>
    public required int MatchedIncidents { get; init; }

    /// <summary>Share of rooted incidents whose matched group's first root candidate is the root.</summary>
    public required double? RootCauseAc1 { get; init; }

    /// <summary>Share of rooted incidents whose root is among the matched group's first three candidates.</summary>
    public required double? RootCauseAc3 { get; init; }

    /// <summary>Pairwise co-membership F1, averaged over scenarios.</summary>
    public required double? GroupingF1 { get; init; }

    /// <summary>Each scenario's pairwise co-membership F1, in order.</summary>
    public required IReadOnlyList<double> ScenarioGroupingF1 { get; init; }

    /// <summary>Micro-F1 of the correlation types over matched pairs.</summary>
    public required double? TypeF1 { get; init; }

    /// <summary>Distractor events over all scenarios.</summary>
    public required long DistractorEvents { get; init; }

    /// <summary>Distractor events placed in a predicted incident that holds a true member (contamination).</summary>
    public required long DistractorEventsMerged { get; init; }

    /// <summary>Distractor events placed only in predicted incidents without any true member (reported on their own).</summary>
    public required long DistractorEventsAlone { get; init; }

    /// <summary><see cref="DistractorEventsMerged"/> / <see cref="DistractorEvents"/>: how much distractors contaminate real incidents; lower is better.</summary>
    public required double? DistractorRate { get; init; }

    /// <summary><see cref="DistractorEventsAlone"/> / <see cref="DistractorEvents"/>: distractors reported as incidents of their own; not an error, reported beside.</summary>
    public required double? DistractorAloneRate { get; init; }

    /// <summary>Predicted incidents that name a root where there is none to name.</summary>
    public required int NegativeControlRoots { get; init; }

    /// <summary>Median over matched pairs of |predicted − true extra cost| / max(|true|, 0.25 USD).</summary>
    public required double? ImpactCostMedianRelError { get; init; }

    /// <summary>Events the engine observed.</summary>
    public required long EventsObserved { get; init; }

    /// <summary>The engine's wall time in seconds.</summary>
    public required double EngineSeconds { get; init; }

    /// <summary><see cref="EventsObserved"/> / <see cref="EngineSeconds"/>.</summary>
    public required double? EventsPerSecond { get; init; }
}
