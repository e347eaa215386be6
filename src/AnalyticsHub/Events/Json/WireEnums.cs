namespace AnalyticsHub.Events.Json;

/// <summary>The wire-name tables of every closed enum of the event model.</summary>
internal static class WireEnums
{
    public static readonly WireEnum<Events.SourceModule> SourceModule = new(
        ["llm-observatory", "llm-sentinel", "llm-cost-ops", "llm-governance-dashboard", "llm-registry", "llm-policy-engine", "llm-analytics-hub"],
        ("llm-costops", Events.SourceModule.LlmCostOps));

    public static readonly WireEnum<Events.EventType> EventType = new(
        ["telemetry", "security", "cost", "governance", "lifecycle", "audit", "alert"]);

    public static readonly WireEnum<Events.Severity> Severity = new(
        ["debug", "info", "warning", "error", "critical"]);

    public static readonly WireEnum<Events.PayloadType> PayloadType = new(
        ["telemetry", "security", "cost", "governance", "custom"]);

    public static readonly WireEnum<Events.TelemetryType> TelemetryType = new(
        ["latency", "throughput", "error_rate", "token_usage", "model_performance"]);

    public static readonly WireEnum<Events.SecurityType> SecurityType = new(
        ["threat", "vulnerability", "compliance_violation", "auth", "privacy"]);

    public static readonly WireEnum<Events.CostType> CostType = new(
        ["token_cost", "api_cost", "resource_consumption", "budget_alert"]);

    public static readonly WireEnum<Events.GovernanceType> GovernanceType = new(
        ["policy_violation", "audit_trail", "compliance_check", "data_lineage"]);

    public static readonly WireEnum<Events.ThreatLevel> ThreatLevel = new(["low", "medium", "high", "critical"]);

    public static readonly WireEnum<Events.MitigationStatus> MitigationStatus = new(
        ["detected", "blocked", "mitigated", "investigating", "resolved"]);

    public static readonly WireEnum<Events.RemediationStatus> RemediationStatus = new(
        ["identified", "patch_available", "patching", "patched", "accepted"]);

    public static readonly WireEnum<Events.AuthAction> AuthAction = new(
        ["login", "logout", "access_attempt", "permission_denied", "token_generated", "token_revoked"]);

    public static readonly WireEnum<Events.PrivacyOperation> PrivacyOperation = new(
        ["data_access", "data_collection", "data_sharing", "data_deletion", "consent_update"]);

    public static readonly WireEnum<Events.BudgetAlertType> BudgetAlertType = new(["warning", "critical", "exceeded"]);

    public static readonly WireEnum<Events.PolicyViolationSeverity> PolicyViolationSeverity = new(["low", "medium", "high", "critical"]);

    public static readonly WireEnum<Events.ComplianceStatus> ComplianceStatus = new(["pass", "fail", "not_applicable", "manual"]);

    public static readonly WireEnum<Events.DataOperation> DataOperation = new(
        ["create", "read", "update", "delete", "transform", "aggregate"]);

    public static readonly WireEnum<Events.ThreatCategory> ThreatCategory = new(
        ["prompt_injection", "data_exfiltration", "model_poisoning", "denial_of_service", "unauthorized_access", "malicious_input", "other"]);

    public static readonly WireEnum<Events.ResourceCategory> ResourceCategory = new(
        ["compute", "storage", "network", "memory", "gpu", "other"]);
}
