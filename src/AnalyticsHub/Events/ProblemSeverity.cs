using System.Text.Json.Serialization;

namespace AnalyticsHub.Events;

/// <summary>Whether a problem rejects the event or is only reported.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProblemSeverity>))]
public enum ProblemSeverity
{
    /// <summary>The event is accepted; the problem is reported with the result and counted.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>The event is rejected; nothing of it is stored.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}
