using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Expressions;

/// <summary>
/// One closed enum of the event model as the expression language sees it: its wire names (matched
/// case-insensitively, with the wire aliases) and whether its values are ordered.
/// </summary>
internal sealed class EnumDomain
{
    private readonly WireEnum _wire;

    private EnumDomain(string name, WireEnum wire, bool ordered)
    {
        Name = name;
        _wire = wire;
        IsOrdered = ordered;
    }

    /// <summary>The domain's name for messages, e.g. <c>severity</c>.</summary>
    public string Name { get; }

    /// <summary>Whether <c>&lt;</c>, <c>&gt;</c>... compare values by their declaration order.</summary>
    public bool IsOrdered { get; }

    /// <summary>The canonical wire names, indexed by ordinal.</summary>
    public string[] Names => _wire.Names;

    /// <summary>The allowed names joined by commas, for messages.</summary>
    public string Allowed => _wire.Allowed;

    public static readonly EnumDomain Severity = new("severity", WireEnums.Severity, ordered: true);
    public static readonly EnumDomain SourceModule = new("source_module", WireEnums.SourceModule, ordered: false);
    public static readonly EnumDomain EventType = new("event_type", WireEnums.EventType, ordered: false);
    public static readonly EnumDomain PayloadType = new("payload_type", WireEnums.PayloadType, ordered: false);
    public static readonly EnumDomain TelemetryType = new("telemetry_type", WireEnums.TelemetryType, ordered: false);
    public static readonly EnumDomain SecurityType = new("security_type", WireEnums.SecurityType, ordered: false);
    public static readonly EnumDomain CostType = new("cost_type", WireEnums.CostType, ordered: false);
    public static readonly EnumDomain GovernanceType = new("governance_type", WireEnums.GovernanceType, ordered: false);
    public static readonly EnumDomain ThreatLevel = new("threat_level", WireEnums.ThreatLevel, ordered: true);
    public static readonly EnumDomain MitigationStatus = new("mitigation_status", WireEnums.MitigationStatus, ordered: false);
    public static readonly EnumDomain RemediationStatus = new("remediation_status", WireEnums.RemediationStatus, ordered: false);
    public static readonly EnumDomain AuthAction = new("auth_action", WireEnums.AuthAction, ordered: false);
    public static readonly EnumDomain PrivacyOperation = new("privacy_operation", WireEnums.PrivacyOperation, ordered: false);
    public static readonly EnumDomain BudgetAlertType = new("budget_alert_type", WireEnums.BudgetAlertType, ordered: false);
    public static readonly EnumDomain PolicyViolationSeverity = new("policy_violation_severity", WireEnums.PolicyViolationSeverity, ordered: true);
    public static readonly EnumDomain DataOperation = new("data_operation", WireEnums.DataOperation, ordered: false);

    private static readonly EnumDomain[] All =
    [
        Severity, SourceModule, EventType, PayloadType, TelemetryType, SecurityType, CostType, GovernanceType, ThreatLevel,
        MitigationStatus, RemediationStatus, AuthAction, PrivacyOperation, BudgetAlertType, PolicyViolationSeverity, DataOperation,
    ];

    /// <summary>The domain of the wire enum <paramref name="wire"/> (payload catalog fields name their enum by its wire table).</summary>
    /// <exception cref="ArgumentException">No domain is declared for the enum.</exception>
    public static EnumDomain Of(WireEnum wire) =>
        Array.Find(All, d => ReferenceEquals(d._wire, wire)) ?? throw new ArgumentException($"No expression domain for {wire.TypeName}.", nameof(wire));

    /// <summary>Finds the ordinal of a wire name, case-insensitively (aliases included).</summary>
    public bool TryGetOrdinal(string name, out int ordinal)
    {
        // No wire name is near 64 characters; longer text cannot match. Encoding into a stack buffer
        // keeps run-time comparisons (an enum against a tag value) free of allocation.
        if (name.Length > 64)
        {
            ordinal = -1;
            return false;
        }

        Span<byte> utf8 = stackalloc byte[64 * 3];
        var length = System.Text.Encoding.UTF8.GetBytes(name, utf8);
        return _wire.TryParse(utf8[..length], out ordinal);
    }
}
