using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Correlation;

/// <summary>How the events of a correlation belong together: the spec's eight correlation types (section 1.6), snake_case on the wire.</summary>
/// <remarks>An incident can have several types; the wire names are the snake_case forms of the member names, for example <c>causal_chain</c>.</remarks>
[JsonConverter(typeof(SnakeCaseEnumConverter<CorrelationType>))]
public enum CorrelationType
{
    /// <summary><c>causal_chain</c>: one event caused the next.</summary>
    CausalChain = 0,

    /// <summary><c>temporal</c>: events close in time.</summary>
    Temporal = 1,

    /// <summary><c>pattern_match</c>: a known sequence of steps.</summary>
    PatternMatch = 2,

    /// <summary><c>anomaly</c>: anomalies that occur together.</summary>
    Anomaly = 3,

    /// <summary><c>cost_impact</c>: the incident moved spend.</summary>
    CostImpact = 4,

    /// <summary><c>security_incident</c>: a security event is part of the story.</summary>
    SecurityIncident = 5,

    /// <summary><c>performance_degradation</c>: latency, errors or throughput got worse.</summary>
    PerformanceDegradation = 6,

    /// <summary><c>compliance_cascade</c>: policy or compliance violations followed.</summary>
    ComplianceCascade = 7,
}
