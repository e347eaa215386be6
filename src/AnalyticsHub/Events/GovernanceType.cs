namespace AnalyticsHub.Events;

/// <summary>The kind of a governance payload: the <c>governance_type</c> tag.</summary>
public enum GovernanceType
{
    /// <summary><c>policy_violation</c>.</summary>
    PolicyViolation,

    /// <summary><c>audit_trail</c>.</summary>
    AuditTrail,

    /// <summary><c>compliance_check</c>.</summary>
    ComplianceCheck,

    /// <summary><c>data_lineage</c>.</summary>
    DataLineage,
}
