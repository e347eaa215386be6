using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Policies;

/// <summary>How serious a rule's match is (wire format 1.7), ordered low &lt; medium &lt; high &lt; critical.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RuleSeverity>))]
public enum RuleSeverity
{
    /// <summary><c>low</c>: minor.</summary>
    Low,

    /// <summary><c>medium</c>: worth a look.</summary>
    Medium,

    /// <summary><c>high</c>: needs action soon.</summary>
    High,

    /// <summary><c>critical</c>: needs action now.</summary>
    Critical,
}
