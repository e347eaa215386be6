namespace AnalyticsHub.Correlation;

/// <summary>Where an incident's lifecycle event stands: the <c>correlation_phase</c> tag of a <c>correlation</c> event.</summary>
public enum IncidentPhase
{
    /// <summary>The incident was recognised (<c>open</c>).</summary>
    Open,

    /// <summary>Evidence joined or an episode ended (<c>update</c>), at most once per minute of event time.</summary>
    Update,

    /// <summary>The incident ended (<c>close</c>); its member list is final.</summary>
    Close,
}
