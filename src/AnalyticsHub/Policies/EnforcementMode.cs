using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Policies;

/// <summary>Whether a policy's verdicts are enforced (wire format 1.7), snake_case on the wire.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<EnforcementMode>))]
public enum EnforcementMode
{
    /// <summary><c>active</c>: matches decide the outcome of a request and raise violations on the stream.</summary>
    Active,

    /// <summary><c>monitor</c>: matches are recorded (listed in a decision, violations on the stream) but never change a request's outcome.</summary>
    Monitor,

    /// <summary><c>disabled</c>: the policy is not evaluated.</summary>
    Disabled,
}
