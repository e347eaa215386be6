using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Correlation;

/// <summary>The risk an incident poses to the operator's reputation (wire form: lowercase).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ReputationRisk>))]
public enum ReputationRisk
{
    /// <summary><c>none</c>: no user-visible effect.</summary>
    None = 0,

    /// <summary><c>low</c>: a few users may notice.</summary>
    Low = 1,

    /// <summary><c>medium</c>: many users notice; complaints likely.</summary>
    Medium = 2,

    /// <summary><c>high</c>: public attention likely.</summary>
    High = 3,

    /// <summary><c>severe</c>: a public incident (data exposure, a long outage).</summary>
    Severe = 4,
}
