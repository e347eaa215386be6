using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Correlation;

/// <summary>The part an event plays in a correlation (wire form: snake_case).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<EventRole>))]
public enum EventRole
{
    /// <summary><c>root_cause</c>: the change or entry point the incident started from.</summary>
    RootCause = 0,

    /// <summary><c>contributor</c>: made the incident worse or more likely without starting it.</summary>
    Contributor = 1,

    /// <summary><c>effect</c>: a symptom the incident caused (a latency spike, an error burst, a cost jump).</summary>
    Effect = 2,

    /// <summary><c>related</c>: evidence that belongs to the incident without a causal role.</summary>
    Related = 3,
}
