using System.Text.Json.Serialization;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// An incident: events of several modules linked by time, shared entities and cause (wire format 1.6
/// <c>EventCorrelation</c>, with decision 24's <c>correlation_types</c>). The hub emits it as the <c>data</c> of a
/// custom <c>correlation</c> event; read and write it with <see cref="CorrelationJsonContext"/>.
/// </summary>
public sealed record EventCorrelation
{
    /// <summary>The incident's id (a bare UUID on the wire); derived events of the incident carry it as <c>correlation_id</c>.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The primary type, the first of <see cref="CorrelationTypes"/>; older readers read only this.</summary>
    public required CorrelationType CorrelationType { get; init; }

    /// <summary>Every type the evidence supports, the primary one first (decision 24); empty when written by an older producer.</summary>
    public IReadOnlyList<CorrelationType> CorrelationTypes { get; init => field = value ?? []; } = [];

    /// <summary>The member events with their roles.</summary>
    public required IReadOnlyList<CorrelatedEvent> Events { get; init; }

    /// <summary>How tightly the members hang together, in [0, 1].</summary>
    public required double Strength { get; init; }

    /// <summary>How sure the engine is that this is one real incident, in [0, 1].</summary>
    public required double Confidence { get; init; }

    /// <summary>The event-time span of the members (decision 18: a <see cref="TimeRange"/>).</summary>
    public required TimeRange TimeWindow { get; init; }

    /// <summary>
    /// How the members lead to one another, ordered by event time corrected for each module's estimated clock skew; empty
    /// when written by a producer that does not link members (decision 28).
    /// </summary>
    public IReadOnlyList<CausalLink> CausalLinks { get; init => field = value ?? []; } = [];

    /// <summary>The pattern the members matched, if any (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CorrelationPattern? Pattern { get; init; }

    /// <summary>The event time of the latest evidence (decision 27), never the clock.</summary>
    public required DateTimeOffset DetectedAt { get; init; }

    /// <summary>Free-form facts about the incident (its shared entities, the reason of the last update).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();
}

/// <summary>One member of a correlation (wire format 1.6 <c>CorrelatedEvent</c>).</summary>
public sealed record CorrelatedEvent
{
    /// <summary>The member event's id.</summary>
    public required Guid EventId { get; init; }

    /// <summary>The module that emitted it.</summary>
    public required SourceModule SourceModule { get; init; }

    /// <summary>Its event type.</summary>
    public required EventType EventType { get; init; }

    /// <summary>Its severity.</summary>
    public required Severity Severity { get; init; }

    /// <summary>Its event time.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Its part in the incident.</summary>
    public required EventRole Role { get; init; }

    /// <summary>One line for people, e.g. <c>deploy of model gpt-4o (v42)</c>.</summary>
    public required string Summary { get; init; }

    /// <summary>The member's numbers that matter to the incident (e.g. <c>error_rate_percent</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init => field = value ?? new Dictionary<string, double>(); } = new Dictionary<string, double>();
}

/// <summary>A named sequence of steps across modules that the engine matches over the stream (wire format 1.6 <c>CorrelationPattern</c>).</summary>
public sealed record CorrelationPattern
{
    /// <summary>The pattern's stable id.</summary>
    public required string PatternId { get; init; }

    /// <summary>Its name.</summary>
    public required string Name { get; init; }

    /// <summary>What it means.</summary>
    public required string Description { get; init; }

    /// <summary>The modules its steps come from.</summary>
    public required IReadOnlyList<SourceModule> Modules { get; init; }

    /// <summary>The steps, in order.</summary>
    public required IReadOnlyList<PatternStep> Sequence { get; init; }
}

/// <summary>One step of a <see cref="CorrelationPattern"/> (wire format 1.6 <c>PatternStep</c>).</summary>
public sealed record PatternStep
{
    /// <summary>The step's number, from 1.</summary>
    public required uint StepNumber { get; init; }

    /// <summary>The module of the step's event.</summary>
    public required SourceModule Module { get; init; }

    /// <summary>The event type of the step's event.</summary>
    public required EventType EventType { get; init; }

    /// <summary>The most time allowed after the previous step, in milliseconds; null for no bound (written as null).</summary>
    public long? TimeOffsetMs { get; init; }

    /// <summary>Conditions on the step's event, each an expression of the expression language keyed by a name.</summary>
    public required IReadOnlyDictionary<string, string> Conditions { get; init; }
}

/// <summary>An incident's anomalies with their root cause and impact (wire format 1.6 <c>AnomalyCorrelation</c>).</summary>
public sealed record AnomalyCorrelation
{
    /// <summary>The incident's id, as in its <see cref="EventCorrelation"/>.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The anomalies of the incident.</summary>
    public required IReadOnlyList<AnomalyEvent> Anomalies { get; init; }

    /// <summary>How tightly the anomalies hang together, in [0, 1].</summary>
    public required double Strength { get; init; }

    /// <summary>What caused it, when the engine names anything (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RootCauseAnalysis? RootCause { get; init; }

    /// <summary>How bad it is.</summary>
    public required ImpactAssessment Impact { get; init; }

    /// <summary>The event time of the latest evidence (decision 27).</summary>
    public required DateTimeOffset DetectedAt { get; init; }
}

/// <summary>What caused an incident (wire format 1.6 <c>RootCauseAnalysis</c>, with decision 25's ranked <c>candidates</c>).</summary>
public sealed record RootCauseAnalysis
{
    /// <summary>The first candidate's event id; null when the first candidate is external or there is none.</summary>
    public Guid? RootEventId { get; init; }

    /// <summary>The confidence of the first candidate, in [0, 1].</summary>
    public required double Confidence { get; init; }

    /// <summary>The links from the root to the effects, in event-time order.</summary>
    public required IReadOnlyList<CausalLink> CausalChain { get; init; }

    /// <summary>What made it worse (retries, a traffic rise), one sentence each.</summary>
    public required IReadOnlyList<string> ContributingFactors { get; init; }

    /// <summary>What to do, one sentence each (e.g. <c>roll back deploy v42 of gpt-4o</c>).</summary>
    public required IReadOnlyList<string> Recommendations { get; init; }

    /// <summary>The ranked candidates, most likely first (decision 25); empty when no cause was found.</summary>
    public IReadOnlyList<RootCauseCandidate> Candidates { get; init => field = value ?? []; } = [];
}

/// <summary>One ranked root-cause candidate (decision 25).</summary>
public sealed record RootCauseCandidate
{
    /// <summary>Whether it names an event or something external.</summary>
    public required RootCauseCandidateKind Kind { get; init; }

    /// <summary>The event, for <see cref="RootCauseCandidateKind.Event"/> (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? EventId { get; init; }

    /// <summary>The provider, for <see cref="RootCauseCandidateKind.External"/> (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    /// <summary>The region, for <see cref="RootCauseCandidateKind.External"/> (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Region { get; init; }

    /// <summary>How likely this candidate is the cause, in [0, 1].</summary>
    public required double Confidence { get; init; }

    /// <summary>The evidence for it, one sentence each.</summary>
    public required IReadOnlyList<string> Evidence { get; init; }
}

/// <summary>One link of a causal chain (wire format 1.6 <c>CausalLink</c>).</summary>
public sealed record CausalLink
{
    /// <summary>The earlier event.</summary>
    public required Guid FromEventId { get; init; }

    /// <summary>The later event.</summary>
    public required Guid ToEventId { get; init; }

    /// <summary>How the first leads to the second.</summary>
    public required CausalRelationship Relationship { get; init; }

    /// <summary>How strong the link is, in [0, 1].</summary>
    public required double Strength { get; init; }

    /// <summary>The later event's time minus the earlier one's, in milliseconds, after skew correction.</summary>
    public required long TimeDeltaMs { get; init; }
}
