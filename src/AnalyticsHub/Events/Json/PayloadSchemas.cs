using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>The reading tables of every payload variant (field names, kinds, and how to build the record).</summary>
internal static class PayloadSchemas
{
    public static readonly ObjectSchema<Events.LatencyBreakdown> LatencyBreakdown = new(
        nameof(Events.LatencyBreakdown),
        [
            new("queue_time_ms", FieldKind.Double),
            new("processing_time_ms", FieldKind.Double),
            new("network_time_ms", FieldKind.Double),
            new("other_ms", FieldKind.Double),
        ],
        s => new Events.LatencyBreakdown
        {
            QueueTimeMs = s[0].Double,
            ProcessingTimeMs = s[1].Double,
            NetworkTimeMs = s[2].Double,
            OtherMs = s[3].Double,
        });

    public static readonly ObjectSchema<Events.ComplianceFinding> ComplianceFinding = new(
        nameof(Events.ComplianceFinding),
        [
            new("control_id", FieldKind.String),
            new("status", FieldKind.Enum, WireEnums.ComplianceStatus),
            new("description", FieldKind.String),
            new("evidence", FieldKind.OptionalString),
        ],
        s => new Events.ComplianceFinding
        {
            ControlId = s[0].String,
            Status = (ComplianceStatus)s[1].Bits,
            Description = s[2].String,
            Evidence = s[3].OptionalString,
        });

    public static readonly ObjectSchema<Events.LatencyMetrics> LatencyMetrics = new(
        nameof(Events.LatencyMetrics),
        [
            new("telemetry_type", FieldKind.Ignored),
            new("model_id", FieldKind.String),
            new("request_id", FieldKind.String),
            new("total_latency_ms", FieldKind.Double),
            new("ttft_ms", FieldKind.OptionalDouble),
            new("tokens_per_second", FieldKind.OptionalDouble),
            new("breakdown", FieldKind.OptionalObject, nested: LatencyBreakdown),
        ],
        s => new Events.LatencyMetrics
        {
            ModelId = s[1].String,
            RequestId = s[2].String,
            TotalLatencyMs = s[3].Double,
            TtftMs = s[4].OptionalDouble,
            TokensPerSecond = s[5].OptionalDouble,
            Breakdown = (Events.LatencyBreakdown?)s[6].Object,
        });

    public static readonly ObjectSchema<Events.ThroughputMetrics> ThroughputMetrics = new(
        nameof(Events.ThroughputMetrics),
        [
            new("telemetry_type", FieldKind.Ignored),
            new("model_id", FieldKind.String),
            new("requests_per_second", FieldKind.Double),
            new("tokens_per_second", FieldKind.Double),
            new("concurrent_requests", FieldKind.UInt32),
            new("window_duration_seconds", FieldKind.UInt32),
        ],
        s => new Events.ThroughputMetrics
        {
            ModelId = s[1].String,
            RequestsPerSecond = s[2].Double,
            TokensPerSecond = s[3].Double,
            ConcurrentRequests = s[4].UInt32,
            WindowDurationSeconds = s[5].UInt32,
        });

    public static readonly ObjectSchema<Events.ErrorRateMetrics> ErrorRateMetrics = new(
        nameof(Events.ErrorRateMetrics),
        [
            new("telemetry_type", FieldKind.Ignored),
            new("model_id", FieldKind.String),
            new("total_requests", FieldKind.UInt64),
            new("failed_requests", FieldKind.UInt64),
            new("error_rate_percent", FieldKind.Double),
            new("error_breakdown", FieldKind.UInt64Map),
            new("window_duration_seconds", FieldKind.UInt32),
        ],
        s => new Events.ErrorRateMetrics
        {
            ModelId = s[1].String,
            TotalRequests = s[2].Bits,
            FailedRequests = s[3].Bits,
            ErrorRatePercent = s[4].Double,
            ErrorBreakdown = s[5].As<Dictionary<string, ulong>>(),
            WindowDurationSeconds = s[6].UInt32,
        });

    public static readonly ObjectSchema<Events.TokenUsageMetrics> TokenUsageMetrics = new(
        nameof(Events.TokenUsageMetrics),
        [
            new("telemetry_type", FieldKind.Ignored),
            new("model_id", FieldKind.String),
            new("request_id", FieldKind.String),
            new("prompt_tokens", FieldKind.UInt32),
            new("completion_tokens", FieldKind.UInt32),
            new("total_tokens", FieldKind.UInt32),
            new("cached_input_tokens", FieldKind.OptionalUInt32),
            new("cache_creation_input_tokens", FieldKind.OptionalUInt32),
            new("reasoning_tokens", FieldKind.OptionalUInt32),
        ],
        s => new Events.TokenUsageMetrics
        {
            ModelId = s[1].String,
            RequestId = s[2].String,
            PromptTokens = s[3].UInt32,
            CompletionTokens = s[4].UInt32,
            TotalTokens = s[5].UInt32,
            CachedInputTokens = s[6].OptionalUInt32,
            CacheCreationInputTokens = s[7].OptionalUInt32,
            ReasoningTokens = s[8].OptionalUInt32,
        });

    public static readonly ObjectSchema<Events.ModelPerformanceMetrics> ModelPerformanceMetrics = new(
        nameof(Events.ModelPerformanceMetrics),
        [
            new("telemetry_type", FieldKind.Ignored),
            new("model_id", FieldKind.String),
            new("accuracy", FieldKind.OptionalDouble),
            new("quality_score", FieldKind.OptionalDouble),
            new("user_satisfaction", FieldKind.OptionalDouble),
            new("custom_metrics", FieldKind.DoubleMap),
        ],
        s => new Events.ModelPerformanceMetrics
        {
            ModelId = s[1].String,
            Accuracy = s[2].OptionalDouble,
            QualityScore = s[3].OptionalDouble,
            UserSatisfaction = s[4].OptionalDouble,
            CustomMetrics = s[5].As<Dictionary<string, double>>(),
        });

    public static readonly ObjectSchema<Events.ThreatEvent> ThreatEvent = new(
        nameof(Events.ThreatEvent),
        [
            new("security_type", FieldKind.Ignored),
            new("threat_id", FieldKind.String),
            new("threat_type", FieldKind.OpenEnum, WireEnums.ThreatCategory),
            new("threat_level", FieldKind.Enum, WireEnums.ThreatLevel),
            new("source_ip", FieldKind.OptionalString),
            new("target_resource", FieldKind.String),
            new("attack_vector", FieldKind.String),
            new("mitigation_status", FieldKind.Enum, WireEnums.MitigationStatus),
            new("indicators_of_compromise", FieldKind.StringList),
        ],
        s => new Events.ThreatEvent
        {
            ThreatId = s[1].String,
            ThreatType = s[2].Object is string threatTypeName ? ThreatType.Other(threatTypeName) : ThreatType.FromCategory((ThreatCategory)s[2].Bits),
            ThreatLevel = (ThreatLevel)s[3].Bits,
            SourceIp = s[4].OptionalString,
            TargetResource = s[5].String,
            AttackVector = s[6].String,
            MitigationStatus = (MitigationStatus)s[7].Bits,
            IndicatorsOfCompromise = s[8].As<List<string>>(),
        });

    public static readonly ObjectSchema<Events.VulnerabilityEvent> VulnerabilityEvent = new(
        nameof(Events.VulnerabilityEvent),
        [
            new("security_type", FieldKind.Ignored),
            new("vulnerability_id", FieldKind.String),
            new("cve_id", FieldKind.OptionalString),
            new("severity_score", FieldKind.Double),
            new("affected_component", FieldKind.String),
            new("description", FieldKind.String),
            new("remediation_status", FieldKind.Enum, WireEnums.RemediationStatus),
        ],
        s => new Events.VulnerabilityEvent
        {
            VulnerabilityId = s[1].String,
            CveId = s[2].OptionalString,
            SeverityScore = s[3].Double,
            AffectedComponent = s[4].String,
            Description = s[5].String,
            RemediationStatus = (RemediationStatus)s[6].Bits,
        });

    public static readonly ObjectSchema<Events.ComplianceViolationEvent> ComplianceViolationEvent = new(
        nameof(Events.ComplianceViolationEvent),
        [
            new("security_type", FieldKind.Ignored),
            new("violation_id", FieldKind.String),
            new("regulation", FieldKind.String),
            new("requirement", FieldKind.String),
            new("violation_description", FieldKind.String),
            new("affected_data_types", FieldKind.StringList),
            new("remediation_required", FieldKind.Boolean),
        ],
        s => new Events.ComplianceViolationEvent
        {
            ViolationId = s[1].String,
            Regulation = s[2].String,
            Requirement = s[3].String,
            ViolationDescription = s[4].String,
            AffectedDataTypes = s[5].As<List<string>>(),
            RemediationRequired = s[6].Boolean,
        });

    public static readonly ObjectSchema<Events.AuthEvent> AuthEvent = new(
        nameof(Events.AuthEvent),
        [
            new("security_type", FieldKind.Ignored),
            new("user_id", FieldKind.String),
            new("action", FieldKind.Enum, WireEnums.AuthAction),
            new("resource", FieldKind.String),
            new("success", FieldKind.Boolean),
            new("failure_reason", FieldKind.OptionalString),
        ],
        s => new Events.AuthEvent
        {
            UserId = s[1].String,
            Action = (AuthAction)s[2].Bits,
            Resource = s[3].String,
            Success = s[4].Boolean,
            FailureReason = s[5].OptionalString,
        });

    public static readonly ObjectSchema<Events.PrivacyEvent> PrivacyEvent = new(
        nameof(Events.PrivacyEvent),
        [
            new("security_type", FieldKind.Ignored),
            new("data_type", FieldKind.String),
            new("operation", FieldKind.Enum, WireEnums.PrivacyOperation),
            new("user_consent", FieldKind.Boolean),
            new("data_subjects", FieldKind.StringList),
            new("purpose", FieldKind.String),
        ],
        s => new Events.PrivacyEvent
        {
            DataType = s[1].String,
            Operation = (PrivacyOperation)s[2].Bits,
            UserConsent = s[3].Boolean,
            DataSubjects = s[4].As<List<string>>(),
            Purpose = s[5].String,
        });

    public static readonly ObjectSchema<Events.TokenCostEvent> TokenCostEvent = new(
        nameof(Events.TokenCostEvent),
        [
            new("cost_type", FieldKind.Ignored),
            new("model_id", FieldKind.String),
            new("request_id", FieldKind.String),
            new("prompt_tokens", FieldKind.UInt32),
            new("completion_tokens", FieldKind.UInt32),
            new("total_tokens", FieldKind.UInt32),
            new("cost_per_prompt_token", FieldKind.Double),
            new("cost_per_completion_token", FieldKind.Double),
            new("total_cost_usd", FieldKind.Double),
            new("currency", FieldKind.String),
            new("cached_input_tokens", FieldKind.OptionalUInt32),
            new("cache_creation_input_tokens", FieldKind.OptionalUInt32),
            new("reasoning_tokens", FieldKind.OptionalUInt32),
            new("cached_input_cost_usd", FieldKind.OptionalDouble),
            new("cache_creation_cost_usd", FieldKind.OptionalDouble),
            new("reasoning_cost_usd", FieldKind.OptionalDouble),
            new("price_version", FieldKind.OptionalString),
        ],
        s => new Events.TokenCostEvent
        {
            ModelId = s[1].String,
            RequestId = s[2].String,
            PromptTokens = s[3].UInt32,
            CompletionTokens = s[4].UInt32,
            TotalTokens = s[5].UInt32,
            CostPerPromptToken = s[6].Double,
            CostPerCompletionToken = s[7].Double,
            TotalCostUsd = s[8].Double,
            Currency = s[9].String,
            CachedInputTokens = s[10].OptionalUInt32,
            CacheCreationInputTokens = s[11].OptionalUInt32,
            ReasoningTokens = s[12].OptionalUInt32,
            CachedInputCostUsd = s[13].OptionalDouble,
            CacheCreationCostUsd = s[14].OptionalDouble,
            ReasoningCostUsd = s[15].OptionalDouble,
            PriceVersion = s[16].OptionalString,
        });

    public static readonly ObjectSchema<Events.ApiCostEvent> ApiCostEvent = new(
        nameof(Events.ApiCostEvent),
        [
            new("cost_type", FieldKind.Ignored),
            new("provider", FieldKind.String),
            new("api_endpoint", FieldKind.String),
            new("request_count", FieldKind.UInt64),
            new("cost_per_request", FieldKind.Double),
            new("total_cost_usd", FieldKind.Double),
            new("billing_period", FieldKind.String),
        ],
        s => new Events.ApiCostEvent
        {
            Provider = s[1].String,
            ApiEndpoint = s[2].String,
            RequestCount = s[3].Bits,
            CostPerRequest = s[4].Double,
            TotalCostUsd = s[5].Double,
            BillingPeriod = s[6].String,
        });

    public static readonly ObjectSchema<Events.ResourceConsumptionEvent> ResourceConsumptionEvent = new(
        nameof(Events.ResourceConsumptionEvent),
        [
            new("cost_type", FieldKind.Ignored),
            new("resource_type", FieldKind.OpenEnum, WireEnums.ResourceCategory),
            new("resource_id", FieldKind.String),
            new("quantity", FieldKind.Double),
            new("unit", FieldKind.String),
            new("cost_usd", FieldKind.Double),
            new("utilization_percent", FieldKind.Double),
        ],
        s => new Events.ResourceConsumptionEvent
        {
            ResourceType = s[1].Object is string resourceTypeName ? ResourceType.Other(resourceTypeName) : ResourceType.FromCategory((ResourceCategory)s[1].Bits),
            ResourceId = s[2].String,
            Quantity = s[3].Double,
            Unit = s[4].String,
            CostUsd = s[5].Double,
            UtilizationPercent = s[6].Double,
        });

    public static readonly ObjectSchema<Events.BudgetAlertEvent> BudgetAlertEvent = new(
        nameof(Events.BudgetAlertEvent),
        [
            new("cost_type", FieldKind.Ignored),
            new("budget_id", FieldKind.String),
            new("budget_name", FieldKind.String),
            new("budget_limit_usd", FieldKind.Double),
            new("current_spend_usd", FieldKind.Double),
            new("threshold_percent", FieldKind.Double),
            new("alert_type", FieldKind.Enum, WireEnums.BudgetAlertType),
        ],
        s => new Events.BudgetAlertEvent
        {
            BudgetId = s[1].String,
            BudgetName = s[2].String,
            BudgetLimitUsd = s[3].Double,
            CurrentSpendUsd = s[4].Double,
            ThresholdPercent = s[5].Double,
            AlertType = (BudgetAlertType)s[6].Bits,
        });

    public static readonly ObjectSchema<Events.PolicyViolationEvent> PolicyViolationEvent = new(
        nameof(Events.PolicyViolationEvent),
        [
            new("governance_type", FieldKind.Ignored),
            new("policy_id", FieldKind.String),
            new("policy_name", FieldKind.String),
            new("violation_description", FieldKind.String),
            new("violated_rules", FieldKind.StringList),
            new("resource_id", FieldKind.String),
            new("user_id", FieldKind.OptionalString),
            new("severity", FieldKind.Enum, WireEnums.PolicyViolationSeverity),
            new("auto_remediated", FieldKind.Boolean),
        ],
        s => new Events.PolicyViolationEvent
        {
            PolicyId = s[1].String,
            PolicyName = s[2].String,
            ViolationDescription = s[3].String,
            ViolatedRules = s[4].As<List<string>>(),
            ResourceId = s[5].String,
            UserId = s[6].OptionalString,
            Severity = (PolicyViolationSeverity)s[7].Bits,
            AutoRemediated = s[8].Boolean,
        });

    public static readonly ObjectSchema<Events.AuditTrailEvent> AuditTrailEvent = new(
        nameof(Events.AuditTrailEvent),
        [
            new("governance_type", FieldKind.Ignored),
            new("action", FieldKind.String),
            new("actor", FieldKind.String),
            new("resource_type", FieldKind.String),
            new("resource_id", FieldKind.String),
            new("changes", FieldKind.JsonMap),
            new("ip_address", FieldKind.OptionalString),
            new("user_agent", FieldKind.OptionalString),
        ],
        s => new Events.AuditTrailEvent
        {
            Action = s[1].String,
            Actor = s[2].String,
            ResourceType = s[3].String,
            ResourceId = s[4].String,
            Changes = s[5].As<Dictionary<string, JsonElement>>(),
            IpAddress = s[6].OptionalString,
            UserAgent = s[7].OptionalString,
        });

    public static readonly ObjectSchema<Events.ComplianceCheckEvent> ComplianceCheckEvent = new(
        nameof(Events.ComplianceCheckEvent),
        [
            new("governance_type", FieldKind.Ignored),
            new("check_id", FieldKind.String),
            new("framework", FieldKind.String),
            new("controls_checked", FieldKind.StringList),
            new("passed", FieldKind.Boolean),
            new("findings", FieldKind.ObjectList, nested: ComplianceFinding),
            new("score", FieldKind.Double),
        ],
        s => new Events.ComplianceCheckEvent
        {
            CheckId = s[1].String,
            Framework = s[2].String,
            ControlsChecked = s[3].As<List<string>>(),
            Passed = s[4].Boolean,
            Findings = s[5].As<List<Events.ComplianceFinding>>(),
            Score = s[6].Double,
        });

    public static readonly ObjectSchema<Events.DataLineageEvent> DataLineageEvent = new(
        nameof(Events.DataLineageEvent),
        [
            new("governance_type", FieldKind.Ignored),
            new("data_asset_id", FieldKind.String),
            new("operation", FieldKind.Enum, WireEnums.DataOperation),
            new("source", FieldKind.OptionalString),
            new("destination", FieldKind.OptionalString),
            new("transformation", FieldKind.OptionalString),
            new("lineage_path", FieldKind.StringList),
        ],
        s => new Events.DataLineageEvent
        {
            DataAssetId = s[1].String,
            Operation = (DataOperation)s[2].Bits,
            Source = s[3].OptionalString,
            Destination = s[4].OptionalString,
            Transformation = s[5].OptionalString,
            LineagePath = s[6].As<List<string>>(),
        });

    public static readonly ObjectSchema<Events.CustomPayload> CustomPayload = new(
        nameof(Events.CustomPayload),
        [
            new("custom_type", FieldKind.String),
            new("data", FieldKind.Json),
        ],
        s => new Events.CustomPayload
        {
            CustomType = s[0].String,
            Data = (JsonElement)s[1].Object!,
        });

    /// <summary>The schema of the telemetry variant <paramref name="type"/>.</summary>
    public static ObjectSchema For(TelemetryType type) => type switch
    {
        TelemetryType.Latency => LatencyMetrics,
        TelemetryType.Throughput => ThroughputMetrics,
        TelemetryType.ErrorRate => ErrorRateMetrics,
        TelemetryType.TokenUsage => TokenUsageMetrics,
        TelemetryType.ModelPerformance => ModelPerformanceMetrics,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The schema of the security variant <paramref name="type"/>.</summary>
    public static ObjectSchema For(SecurityType type) => type switch
    {
        SecurityType.Threat => ThreatEvent,
        SecurityType.Vulnerability => VulnerabilityEvent,
        SecurityType.ComplianceViolation => ComplianceViolationEvent,
        SecurityType.Auth => AuthEvent,
        SecurityType.Privacy => PrivacyEvent,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The schema of the cost variant <paramref name="type"/>.</summary>
    public static ObjectSchema For(CostType type) => type switch
    {
        CostType.TokenCost => TokenCostEvent,
        CostType.ApiCost => ApiCostEvent,
        CostType.ResourceConsumption => ResourceConsumptionEvent,
        CostType.BudgetAlert => BudgetAlertEvent,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The schema of the governance variant <paramref name="type"/>.</summary>
    public static ObjectSchema For(GovernanceType type) => type switch
    {
        GovernanceType.PolicyViolation => PolicyViolationEvent,
        GovernanceType.AuditTrail => AuditTrailEvent,
        GovernanceType.ComplianceCheck => ComplianceCheckEvent,
        GovernanceType.DataLineage => DataLineageEvent,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
