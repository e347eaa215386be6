using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Correlation;

/// <summary>What a root-cause candidate names (wire form: snake_case).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RootCauseCandidateKind>))]
public enum RootCauseCandidateKind
{
    /// <summary><c>event</c>: a stored event (a change event, a security entry point), by <c>event_id</c>.</summary>
    Event = 0,

    /// <summary><c>external</c>: something outside the system, by provider and region (a provider outage).</summary>
    External = 1,
}
