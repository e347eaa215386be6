namespace AnalyticsHub.Correlation;

/// <summary>Receives an incident's lifecycle event: the incident as it stands, the phase, the reason and the event time in ticks.</summary>
internal delegate void IncidentLifecycleSink(Incident incident, IncidentPhase phase, string reason, long ticks);
