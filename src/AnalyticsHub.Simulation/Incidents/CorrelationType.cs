namespace AnalyticsHub.Simulation.Incidents;

/// <summary>
/// The spec's eight correlation types (section 1.6). Defined here until the core has its own; the wire
/// names live in <see cref="CorrelationTypeNames"/> only, so switching to the core's enum touches one file.
/// </summary>
public enum CorrelationType
{
    /// <summary><c>causal_chain</c>: one event caused the next.</summary>
    CausalChain,

    /// <summary><c>temporal</c>: events close in time.</summary>
    Temporal,

    /// <summary><c>pattern_match</c>: a known sequence of steps.</summary>
    PatternMatch,

    /// <summary><c>anomaly</c>: anomalies that occur together.</summary>
    Anomaly,

    /// <summary><c>cost_impact</c>: the incident moved spend.</summary>
    CostImpact,

    /// <summary><c>security_incident</c>: a security event is part of the story.</summary>
    SecurityIncident,

    /// <summary><c>performance_degradation</c>: latency, errors or throughput got worse.</summary>
    PerformanceDegradation,

    /// <summary><c>compliance_cascade</c>: policy or compliance violations followed.</summary>
    ComplianceCascade,
}
