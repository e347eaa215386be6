using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Policies;

/// <summary>What a matched rule asks for (wire format 1.7), snake_case on the wire.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PolicyAction>))]
public enum PolicyAction
{
    /// <summary><c>block</c>: before a request: refuse it; on the stream: record a violation and tell the host's alert sink.</summary>
    Block,

    /// <summary><c>warn</c>: let it through with a warning.</summary>
    Warn,

    /// <summary><c>log</c>: only record the match.</summary>
    Log,

    /// <summary><c>require_approval</c>: before a request: hold it until someone approves; on the stream: record a violation.</summary>
    RequireApproval,

    /// <summary><c>auto_remediate</c>: record the match for the host to remediate (the hub remediates nothing itself).</summary>
    AutoRemediate,
}
