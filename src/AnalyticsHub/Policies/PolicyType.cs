using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Policies;

/// <summary>What a policy is about (wire format 1.7), snake_case on the wire.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PolicyType>))]
public enum PolicyType
{
    /// <summary><c>security</c>: guards against attacks and misuse.</summary>
    Security,

    /// <summary><c>compliance</c>: enforces a regulation or an internal rule.</summary>
    Compliance,

    /// <summary><c>cost_control</c>: keeps spend within limits.</summary>
    CostControl,

    /// <summary><c>performance</c>: keeps latency and quality within bounds.</summary>
    Performance,

    /// <summary><c>data_governance</c>: governs where data goes and who sees it.</summary>
    DataGovernance,

    /// <summary><c>usage</c>: governs who uses which model for what.</summary>
    Usage,
}
