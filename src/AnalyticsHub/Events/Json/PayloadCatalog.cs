using System.Collections.Frozen;
using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// The one table of every payload variant and field: wire name, CLR type, unit, tag, point field and
/// sensitivity (see <see cref="FieldSpec"/>), and how to build each record from its read fields. The
/// reader, writer, validator, redactor, expression field catalog and point extractor all read it.
/// </summary>
/// <remarks>
/// Adding a payload field: add the property to the record, a line to its variant below, and its slot to
/// the variant's factory. Fields are listed in the canonical order of the wire format.
/// </remarks>
internal static class PayloadCatalog
{
    private const Sensitivity Id = Sensitivity.Identifier;
    private const Sensitivity Content = Sensitivity.Content;
    private const Sensitivity Prose = Sensitivity.FreeText;
    private const NumberRange NonNegative = NumberRange.NonNegative;
    private const string Ms = "ms";
    private const string Tokens = "{token}";
    private const string Usd = "USD";
    private const string Requests = "{request}";
    private const string Percent = "%";

    private static readonly FieldSpec TelemetryTag = FieldSpec.VariantTag<TelemetryPayload, TelemetryType>("telemetry_type", WireEnums.TelemetryType, p => p.TelemetryType);
    private static readonly FieldSpec SecurityTag = FieldSpec.VariantTag<SecurityPayload, SecurityType>("security_type", WireEnums.SecurityType, p => p.SecurityType);
    private static readonly FieldSpec CostTag = FieldSpec.VariantTag<CostPayload, CostType>("cost_type", WireEnums.CostType, p => p.CostType);
    private static readonly FieldSpec GovernanceTag = FieldSpec.VariantTag<GovernancePayload, GovernanceType>("governance_type", WireEnums.GovernanceType, p => p.GovernanceType);
    private static readonly FieldSpec ModelId = FieldSpec.Text<TelemetryPayload>("model_id", Content, p => p.ModelId, tag: true);
    private static readonly FieldSpec RequestId = FieldSpec.Text<ITokenCounts>("request_id", Content, p => p.RequestId);

    /// <summary>The counts of token usage and token cost (after their request id), in wire order.</summary>
    private static readonly FieldSpec[] TokenCounts =
    [
        FieldSpec.UInt32<ITokenCounts>("prompt_tokens", Tokens, p => p.PromptTokens, "prompt_tokens"),
        FieldSpec.UInt32<ITokenCounts>("completion_tokens", Tokens, p => p.CompletionTokens, "completion_tokens"),
        FieldSpec.UInt32<ITokenCounts>("total_tokens", Tokens, p => p.TotalTokens, "token_count"),
    ];

    private static readonly FieldSpec[] CacheAndReasoningTokens =
    [
        FieldSpec.OptionalUInt32<ITokenCounts>("cached_input_tokens", Tokens, p => p.CachedInputTokens, "cached_input_tokens"),
        FieldSpec.OptionalUInt32<ITokenCounts>("cache_creation_input_tokens", Tokens, p => p.CacheCreationInputTokens, "cache_creation_input_tokens"),
        FieldSpec.OptionalUInt32<ITokenCounts>("reasoning_tokens", Tokens, p => p.ReasoningTokens, "reasoning_tokens"),
    ];

    public static readonly ObjectSchema<LatencyBreakdown> Breakdown = new(
        [
            FieldSpec.Number<LatencyBreakdown>("queue_time_ms", Ms, p => p.QueueTimeMs, "queue_time_ms", NonNegative),
            FieldSpec.Number<LatencyBreakdown>("processing_time_ms", Ms, p => p.ProcessingTimeMs, "processing_time_ms", NonNegative),
            FieldSpec.Number<LatencyBreakdown>("network_time_ms", Ms, p => p.NetworkTimeMs, "network_time_ms", NonNegative),
            FieldSpec.Number<LatencyBreakdown>("other_ms", Ms, p => p.OtherMs, "other_ms", NonNegative),
        ],
        s => new() { QueueTimeMs = s[0].Double, ProcessingTimeMs = s[1].Double, NetworkTimeMs = s[2].Double, OtherMs = s[3].Double });

    public static readonly ObjectSchema<ComplianceFinding> Finding = new(
        [
            FieldSpec.Text<ComplianceFinding>("control_id", Content, p => p.ControlId),
            FieldSpec.Choice<ComplianceFinding, ComplianceStatus>("status", WireEnums.ComplianceStatus, p => p.Status),
            FieldSpec.Text<ComplianceFinding>("description", Prose, p => p.Description),
            FieldSpec.OptionalText<ComplianceFinding>("evidence", Prose, p => p.Evidence),
        ],
        s => new() { ControlId = s[0].String, Status = (ComplianceStatus)s[1].Bits, Description = s[2].String, Evidence = s[3].OptionalString });

    /// <summary>Every payload variant, telemetry first, custom last.</summary>
    public static readonly PayloadVariant[] Variants =
    [
        new(PayloadType.Telemetry, "latency", new ObjectSchema<LatencyMetrics>(
            [
                TelemetryTag, ModelId,
                FieldSpec.Text<LatencyMetrics>("request_id", Content, p => p.RequestId),
                FieldSpec.Number<LatencyMetrics>("total_latency_ms", Ms, p => p.TotalLatencyMs, "latency_ms", NonNegative),
                FieldSpec.OptionalNumber<LatencyMetrics>("ttft_ms", Ms, p => p.TtftMs, "ttft_ms", NonNegative, omitWhenAbsent: true),
                FieldSpec.OptionalNumber<LatencyMetrics>("tokens_per_second", "{token}/s", p => p.TokensPerSecond, "tokens_per_second", NonNegative, omitWhenAbsent: true),
                FieldSpec.Object<LatencyMetrics, LatencyBreakdown>("breakdown", Breakdown, p => p.Breakdown),
            ],
            s => new()
            {
                ModelId = s[1].String, RequestId = s[2].String, TotalLatencyMs = s[3].Double,
                TtftMs = s[4].OptionalDouble, TokensPerSecond = s[5].OptionalDouble, Breakdown = (LatencyBreakdown?)s[6].Object,
            }),
            "llm_latency", null),
        new(PayloadType.Telemetry, "throughput", new ObjectSchema<ThroughputMetrics>(
            [
                TelemetryTag, ModelId,
                FieldSpec.Number<ThroughputMetrics>("requests_per_second", "{request}/s", p => p.RequestsPerSecond, "throughput", NonNegative),
                FieldSpec.Number<ThroughputMetrics>("tokens_per_second", "{token}/s", p => p.TokensPerSecond, "tokens_per_second", NonNegative),
                FieldSpec.UInt32<ThroughputMetrics>("concurrent_requests", Requests, p => p.ConcurrentRequests, "concurrent_requests"),
                FieldSpec.UInt32<ThroughputMetrics>("window_duration_seconds", "s", p => p.WindowDurationSeconds, "window_duration_seconds"),
            ],
            s => new() { ModelId = s[1].String, RequestsPerSecond = s[2].Double, TokensPerSecond = s[3].Double, ConcurrentRequests = s[4].UInt32, WindowDurationSeconds = s[5].UInt32 }),
            "llm_throughput", null),
        new(PayloadType.Telemetry, "error_rate", new ObjectSchema<ErrorRateMetrics>(
            [
                TelemetryTag, ModelId,
                FieldSpec.UInt64<ErrorRateMetrics>("total_requests", Requests, p => p.TotalRequests, "total_requests"),
                FieldSpec.UInt64<ErrorRateMetrics>("failed_requests", Requests, p => p.FailedRequests, "error_count"),
                FieldSpec.Number<ErrorRateMetrics>("error_rate_percent", Percent, p => p.ErrorRatePercent, "error_rate_percent", NumberRange.Percent),
                FieldSpec.UInt64Map<ErrorRateMetrics>("error_breakdown", Requests, p => p.ErrorBreakdown, "error_breakdown."),
                FieldSpec.UInt32<ErrorRateMetrics>("window_duration_seconds", "s", p => p.WindowDurationSeconds, "window_duration_seconds"),
            ],
            s => new()
            {
                ModelId = s[1].String, TotalRequests = s[2].Bits, FailedRequests = s[3].Bits, ErrorRatePercent = s[4].Double,
                ErrorBreakdown = s[5].As<Dictionary<string, ulong>>(), WindowDurationSeconds = s[6].UInt32,
            }),
            "llm_error_rate", null),
        new(PayloadType.Telemetry, "token_usage", new ObjectSchema<TokenUsageMetrics>(
            [TelemetryTag, ModelId, RequestId, .. TokenCounts, .. CacheAndReasoningTokens],
            s => new()
            {
                ModelId = s[1].String, RequestId = s[2].String, PromptTokens = s[3].UInt32, CompletionTokens = s[4].UInt32, TotalTokens = s[5].UInt32,
                CachedInputTokens = s[6].OptionalUInt32, CacheCreationInputTokens = s[7].OptionalUInt32, ReasoningTokens = s[8].OptionalUInt32,
            }),
            "llm_token_usage", null),
        new(PayloadType.Telemetry, "model_performance", new ObjectSchema<ModelPerformanceMetrics>(
            [
                TelemetryTag, ModelId,
                FieldSpec.OptionalNumber<ModelPerformanceMetrics>("accuracy", "1", p => p.Accuracy, "accuracy"),
                FieldSpec.OptionalNumber<ModelPerformanceMetrics>("quality_score", "1", p => p.QualityScore, "quality_score"),
                FieldSpec.OptionalNumber<ModelPerformanceMetrics>("user_satisfaction", "1", p => p.UserSatisfaction, "user_satisfaction"),
                FieldSpec.DoubleMap<ModelPerformanceMetrics>("custom_metrics", "1", p => p.CustomMetrics, "custom_metrics."),
            ],
            s => new()
            {
                ModelId = s[1].String, Accuracy = s[2].OptionalDouble, QualityScore = s[3].OptionalDouble, UserSatisfaction = s[4].OptionalDouble,
                CustomMetrics = s[5].As<Dictionary<string, double>>(),
            }),
            "llm_model_performance", "evaluation_count"),
        new(PayloadType.Security, "threat", new ObjectSchema<ThreatEvent>(
            [
                SecurityTag,
                FieldSpec.Text<ThreatEvent>("threat_id", Content, p => p.ThreatId),
                FieldSpec.OpenChoice<ThreatEvent, ThreatType, ThreatCategory>("threat_type", WireEnums.ThreatCategory, Content, p => p.ThreatType, t => t.Category, t => t.OtherName, tag: true),
                FieldSpec.Choice<ThreatEvent, ThreatLevel>("threat_level", WireEnums.ThreatLevel, p => p.ThreatLevel, tag: true),
                FieldSpec.OptionalText<ThreatEvent>("source_ip", Id, p => p.SourceIp),
                FieldSpec.Text<ThreatEvent>("target_resource", Content, p => p.TargetResource),
                FieldSpec.Text<ThreatEvent>("attack_vector", Prose, p => p.AttackVector),
                FieldSpec.Choice<ThreatEvent, MitigationStatus>("mitigation_status", WireEnums.MitigationStatus, p => p.MitigationStatus, tag: true),
                FieldSpec.Texts<ThreatEvent>("indicators_of_compromise", Content, p => p.IndicatorsOfCompromise, "indicator_count"),
            ],
            s => new()
            {
                ThreatId = s[1].String, ThreatType = s[2].Object is string other ? ThreatType.Other(other) : ThreatType.FromCategory((ThreatCategory)s[2].Bits),
                ThreatLevel = (ThreatLevel)s[3].Bits, SourceIp = s[4].OptionalString, TargetResource = s[5].String, AttackVector = s[6].String,
                MitigationStatus = (MitigationStatus)s[7].Bits, IndicatorsOfCompromise = s[8].As<List<string>>(),
            }),
            "security_threat", "threat_count"),
        new(PayloadType.Security, "vulnerability", new ObjectSchema<VulnerabilityEvent>(
            [
                SecurityTag,
                FieldSpec.Text<VulnerabilityEvent>("vulnerability_id", Content, p => p.VulnerabilityId),
                FieldSpec.OptionalText<VulnerabilityEvent>("cve_id", Content, p => p.CveId),
                FieldSpec.Number<VulnerabilityEvent>("severity_score", "1", p => p.SeverityScore, "severity_score", NumberRange.ScoreOfTen),
                FieldSpec.Text<VulnerabilityEvent>("affected_component", Content, p => p.AffectedComponent),
                FieldSpec.Text<VulnerabilityEvent>("description", Prose, p => p.Description),
                FieldSpec.Choice<VulnerabilityEvent, RemediationStatus>("remediation_status", WireEnums.RemediationStatus, p => p.RemediationStatus, tag: true),
            ],
            s => new()
            {
                VulnerabilityId = s[1].String, CveId = s[2].OptionalString, SeverityScore = s[3].Double, AffectedComponent = s[4].String,
                Description = s[5].String, RemediationStatus = (RemediationStatus)s[6].Bits,
            }),
            "security_vulnerability", "vulnerability_count"),
        new(PayloadType.Security, "compliance_violation", new ObjectSchema<ComplianceViolationEvent>(
            [
                SecurityTag,
                FieldSpec.Text<ComplianceViolationEvent>("violation_id", Content, p => p.ViolationId),
                FieldSpec.Text<ComplianceViolationEvent>("regulation", Content, p => p.Regulation, tag: true),
                FieldSpec.Text<ComplianceViolationEvent>("requirement", Prose, p => p.Requirement),
                FieldSpec.Text<ComplianceViolationEvent>("violation_description", Prose, p => p.ViolationDescription),
                FieldSpec.Texts<ComplianceViolationEvent>("affected_data_types", Content, p => p.AffectedDataTypes, "affected_data_type_count"),
                FieldSpec.Flag<ComplianceViolationEvent>("remediation_required", p => p.RemediationRequired, "remediation_required"),
            ],
            s => new()
            {
                ViolationId = s[1].String, Regulation = s[2].String, Requirement = s[3].String, ViolationDescription = s[4].String,
                AffectedDataTypes = s[5].As<List<string>>(), RemediationRequired = s[6].Boolean,
            }),
            "security_compliance_violation", "violation_count"),
        new(PayloadType.Security, "auth", new ObjectSchema<AuthEvent>(
            [
                SecurityTag,
                FieldSpec.Text<AuthEvent>("user_id", Id, p => p.UserId),
                FieldSpec.Choice<AuthEvent, AuthAction>("action", WireEnums.AuthAction, p => p.Action, tag: true),
                FieldSpec.Text<AuthEvent>("resource", Content, p => p.Resource),
                FieldSpec.Flag<AuthEvent>("success", p => p.Success),
                FieldSpec.OptionalText<AuthEvent>("failure_reason", Prose, p => p.FailureReason),
            ],
            s => new() { UserId = s[1].String, Action = (AuthAction)s[2].Bits, Resource = s[3].String, Success = s[4].Boolean, FailureReason = s[5].OptionalString }),
            "security_auth", "auth_count"),
        new(PayloadType.Security, "privacy", new ObjectSchema<PrivacyEvent>(
            [
                SecurityTag,
                FieldSpec.Text<PrivacyEvent>("data_type", Content, p => p.DataType, tag: true),
                FieldSpec.Choice<PrivacyEvent, PrivacyOperation>("operation", WireEnums.PrivacyOperation, p => p.Operation, tag: true),
                FieldSpec.Flag<PrivacyEvent>("user_consent", p => p.UserConsent, "user_consent"),
                FieldSpec.Texts<PrivacyEvent>("data_subjects", Content, p => p.DataSubjects, "data_subject_count"),
                FieldSpec.Text<PrivacyEvent>("purpose", Prose, p => p.Purpose),
            ],
            s => new() { DataType = s[1].String, Operation = (PrivacyOperation)s[2].Bits, UserConsent = s[3].Boolean, DataSubjects = s[4].As<List<string>>(), Purpose = s[5].String }),
            "security_privacy", "operation_count"),
        new(PayloadType.Cost, "token_cost", new ObjectSchema<TokenCostEvent>(
            [
                CostTag,
                FieldSpec.Text<TokenCostEvent>("model_id", Content, p => p.ModelId, tag: true),
                RequestId, .. TokenCounts,
                FieldSpec.Number<TokenCostEvent>("cost_per_prompt_token", "USD/{token}", p => p.CostPerPromptToken, "cost_per_prompt_token", NonNegative),
                FieldSpec.Number<TokenCostEvent>("cost_per_completion_token", "USD/{token}", p => p.CostPerCompletionToken, "cost_per_completion_token", NonNegative),
                FieldSpec.Number<TokenCostEvent>("total_cost_usd", Usd, p => p.TotalCostUsd, "cost_usd", NonNegative),
                FieldSpec.Text<TokenCostEvent>("currency", Content, p => p.Currency, tag: true),
                .. CacheAndReasoningTokens,
                FieldSpec.OptionalNumber<TokenCostEvent>("cached_input_cost_usd", Usd, p => p.CachedInputCostUsd, "cached_input_cost_usd", NonNegative, omitWhenAbsent: true),
                FieldSpec.OptionalNumber<TokenCostEvent>("cache_creation_cost_usd", Usd, p => p.CacheCreationCostUsd, "cache_creation_cost_usd", NonNegative, omitWhenAbsent: true),
                FieldSpec.OptionalNumber<TokenCostEvent>("reasoning_cost_usd", Usd, p => p.ReasoningCostUsd, "reasoning_cost_usd", NonNegative, omitWhenAbsent: true),
                FieldSpec.OptionalText<TokenCostEvent>("price_version", Content, p => p.PriceVersion, omitWhenAbsent: true),
            ],
            s => new()
            {
                ModelId = s[1].String, RequestId = s[2].String, PromptTokens = s[3].UInt32, CompletionTokens = s[4].UInt32, TotalTokens = s[5].UInt32,
                CostPerPromptToken = s[6].Double, CostPerCompletionToken = s[7].Double, TotalCostUsd = s[8].Double, Currency = s[9].String,
                CachedInputTokens = s[10].OptionalUInt32, CacheCreationInputTokens = s[11].OptionalUInt32, ReasoningTokens = s[12].OptionalUInt32,
                CachedInputCostUsd = s[13].OptionalDouble, CacheCreationCostUsd = s[14].OptionalDouble, ReasoningCostUsd = s[15].OptionalDouble,
                PriceVersion = s[16].OptionalString,
            }),
            "cost_token", null),
        new(PayloadType.Cost, "api_cost", new ObjectSchema<ApiCostEvent>(
            [
                CostTag,
                FieldSpec.Text<ApiCostEvent>("provider", Content, p => p.Provider, tag: true),
                FieldSpec.Text<ApiCostEvent>("api_endpoint", Content, p => p.ApiEndpoint, tag: true),
                FieldSpec.UInt64<ApiCostEvent>("request_count", Requests, p => p.RequestCount, "request_count"),
                FieldSpec.Number<ApiCostEvent>("cost_per_request", "USD/{request}", p => p.CostPerRequest, "cost_per_request", NonNegative),
                FieldSpec.Number<ApiCostEvent>("total_cost_usd", Usd, p => p.TotalCostUsd, "cost_usd", NonNegative),
                FieldSpec.Text<ApiCostEvent>("billing_period", Content, p => p.BillingPeriod),
            ],
            s => new()
            {
                Provider = s[1].String, ApiEndpoint = s[2].String, RequestCount = s[3].Bits, CostPerRequest = s[4].Double,
                TotalCostUsd = s[5].Double, BillingPeriod = s[6].String,
            }),
            "cost_api", null),
        new(PayloadType.Cost, "resource_consumption", new ObjectSchema<ResourceConsumptionEvent>(
            [
                CostTag,
                FieldSpec.OpenChoice<ResourceConsumptionEvent, ResourceType, ResourceCategory>("resource_type", WireEnums.ResourceCategory, Content, p => p.ResourceType, t => t.Category, t => t.OtherName, tag: true),
                FieldSpec.Text<ResourceConsumptionEvent>("resource_id", Content, p => p.ResourceId),
                FieldSpec.Number<ResourceConsumptionEvent>("quantity", "1", p => p.Quantity, "quantity", NonNegative),
                FieldSpec.Text<ResourceConsumptionEvent>("unit", Content, p => p.Unit, tag: true),
                FieldSpec.Number<ResourceConsumptionEvent>("cost_usd", Usd, p => p.CostUsd, "cost_usd", NonNegative),
                FieldSpec.Number<ResourceConsumptionEvent>("utilization_percent", Percent, p => p.UtilizationPercent, "utilization_percent", NonNegative),
            ],
            s => new()
            {
                ResourceType = s[1].Object is string other ? ResourceType.Other(other) : ResourceType.FromCategory((ResourceCategory)s[1].Bits),
                ResourceId = s[2].String, Quantity = s[3].Double, Unit = s[4].String, CostUsd = s[5].Double, UtilizationPercent = s[6].Double,
            }),
            "cost_resource", null),
        new(PayloadType.Cost, "budget_alert", new ObjectSchema<BudgetAlertEvent>(
            [
                CostTag,
                FieldSpec.Text<BudgetAlertEvent>("budget_id", Content, p => p.BudgetId, tag: true),
                FieldSpec.Text<BudgetAlertEvent>("budget_name", Content, p => p.BudgetName),
                FieldSpec.Number<BudgetAlertEvent>("budget_limit_usd", Usd, p => p.BudgetLimitUsd, "budget_limit_usd", NonNegative),
                FieldSpec.Number<BudgetAlertEvent>("current_spend_usd", Usd, p => p.CurrentSpendUsd, "current_spend_usd", NonNegative),
                FieldSpec.Number<BudgetAlertEvent>("threshold_percent", Percent, p => p.ThresholdPercent, "threshold_percent", NonNegative),
                FieldSpec.Choice<BudgetAlertEvent, BudgetAlertType>("alert_type", WireEnums.BudgetAlertType, p => p.AlertType, tag: true),
            ],
            s => new()
            {
                BudgetId = s[1].String, BudgetName = s[2].String, BudgetLimitUsd = s[3].Double, CurrentSpendUsd = s[4].Double,
                ThresholdPercent = s[5].Double, AlertType = (BudgetAlertType)s[6].Bits,
            }),
            "cost_budget_alert", null),
        new(PayloadType.Governance, "policy_violation", new ObjectSchema<PolicyViolationEvent>(
            [
                GovernanceTag,
                FieldSpec.Text<PolicyViolationEvent>("policy_id", Content, p => p.PolicyId, tag: true),
                FieldSpec.Text<PolicyViolationEvent>("policy_name", Content, p => p.PolicyName),
                FieldSpec.Text<PolicyViolationEvent>("violation_description", Prose, p => p.ViolationDescription),
                FieldSpec.Texts<PolicyViolationEvent>("violated_rules", Content, p => p.ViolatedRules, "violated_rule_count"),
                FieldSpec.Text<PolicyViolationEvent>("resource_id", Content, p => p.ResourceId),
                FieldSpec.OptionalText<PolicyViolationEvent>("user_id", Id, p => p.UserId),
                FieldSpec.Choice<PolicyViolationEvent, PolicyViolationSeverity>("severity", WireEnums.PolicyViolationSeverity, p => p.Severity, tag: true),
                FieldSpec.Flag<PolicyViolationEvent>("auto_remediated", p => p.AutoRemediated, "auto_remediated"),
            ],
            s => new()
            {
                PolicyId = s[1].String, PolicyName = s[2].String, ViolationDescription = s[3].String, ViolatedRules = s[4].As<List<string>>(),
                ResourceId = s[5].String, UserId = s[6].OptionalString, Severity = (PolicyViolationSeverity)s[7].Bits, AutoRemediated = s[8].Boolean,
            }),
            "governance_policy_violation", "violation_count"),
        new(PayloadType.Governance, "audit_trail", new ObjectSchema<AuditTrailEvent>(
            [
                GovernanceTag,
                FieldSpec.Text<AuditTrailEvent>("action", Content, p => p.Action, tag: true),
                FieldSpec.Text<AuditTrailEvent>("actor", Content, p => p.Actor),
                FieldSpec.Text<AuditTrailEvent>("resource_type", Content, p => p.ResourceType, tag: true),
                FieldSpec.Text<AuditTrailEvent>("resource_id", Content, p => p.ResourceId),
                FieldSpec.JsonMap<AuditTrailEvent>("changes", Content, p => p.Changes, "change_count"),
                FieldSpec.OptionalText<AuditTrailEvent>("ip_address", Id, p => p.IpAddress),
                FieldSpec.OptionalText<AuditTrailEvent>("user_agent", Prose, p => p.UserAgent),
            ],
            s => new()
            {
                Action = s[1].String, Actor = s[2].String, ResourceType = s[3].String, ResourceId = s[4].String,
                Changes = s[5].As<Dictionary<string, JsonElement>>(), IpAddress = s[6].OptionalString, UserAgent = s[7].OptionalString,
            }),
            "governance_audit_trail", "audit_count"),
        new(PayloadType.Governance, "compliance_check", new ObjectSchema<ComplianceCheckEvent>(
            [
                GovernanceTag,
                FieldSpec.Text<ComplianceCheckEvent>("check_id", Content, p => p.CheckId),
                FieldSpec.Text<ComplianceCheckEvent>("framework", Content, p => p.Framework, tag: true),
                FieldSpec.Texts<ComplianceCheckEvent>("controls_checked", Content, p => p.ControlsChecked, "controls_checked_count"),
                FieldSpec.Flag<ComplianceCheckEvent>("passed", p => p.Passed, "passed"),
                FieldSpec.Objects<ComplianceCheckEvent, ComplianceFinding>("findings", Finding, p => p.Findings, "finding_count"),
                FieldSpec.Number<ComplianceCheckEvent>("score", Percent, p => p.Score, "compliance_score", NumberRange.Percent),
            ],
            s => new()
            {
                CheckId = s[1].String, Framework = s[2].String, ControlsChecked = s[3].As<List<string>>(), Passed = s[4].Boolean,
                Findings = s[5].As<List<ComplianceFinding>>(), Score = s[6].Double,
            }),
            "governance_compliance_check", null),
        new(PayloadType.Governance, "data_lineage", new ObjectSchema<DataLineageEvent>(
            [
                GovernanceTag,
                FieldSpec.Text<DataLineageEvent>("data_asset_id", Content, p => p.DataAssetId),
                FieldSpec.Choice<DataLineageEvent, DataOperation>("operation", WireEnums.DataOperation, p => p.Operation, tag: true),
                FieldSpec.OptionalText<DataLineageEvent>("source", Content, p => p.Source),
                FieldSpec.OptionalText<DataLineageEvent>("destination", Content, p => p.Destination),
                FieldSpec.OptionalText<DataLineageEvent>("transformation", Prose, p => p.Transformation),
                FieldSpec.Texts<DataLineageEvent>("lineage_path", Content, p => p.LineagePath, "lineage_path_length"),
            ],
            s => new()
            {
                DataAssetId = s[1].String, Operation = (DataOperation)s[2].Bits, Source = s[3].OptionalString, Destination = s[4].OptionalString,
                Transformation = s[5].OptionalString, LineagePath = s[6].As<List<string>>(),
            }),
            "governance_data_lineage", "lineage_count"),
        new(PayloadType.Custom, "custom", new ObjectSchema<CustomPayload>(
            [
                FieldSpec.Text<CustomPayload>("custom_type", Content, p => p.CustomType, tag: true),
                FieldSpec.Json<CustomPayload>("data", Content, p => p.Data),
            ],
            s => new() { CustomType = s[0].String, Data = (JsonElement)s[1].Object! }),
            "custom", "event_count"),
    ];

    private static readonly FrozenDictionary<Type, PayloadVariant> ByType = Variants.ToFrozenDictionary(v => v.Schema.ClrType);

    private static readonly ObjectSchema[][] BySubtype = BuildSubtypeIndex();

    /// <summary>The variant of <paramref name="payload"/>.</summary>
    public static PayloadVariant Of(EventPayload payload) =>
        ByType.TryGetValue(payload.GetType(), out var variant) ? variant : throw new ArgumentException($"Unknown payload type {payload.GetType().Name}.", nameof(payload));

    /// <summary>The schema of the custom payload.</summary>
    public static ObjectSchema Custom => Variants[^1].Schema;

    /// <summary>The schema of variant <paramref name="subtype"/> (the value of its variant tag) of <paramref name="family"/>.</summary>
    public static ObjectSchema For(PayloadType family, int subtype) => BySubtype[(int)family][subtype];

    private static ObjectSchema[][] BuildSubtypeIndex()
    {
        var index = new ObjectSchema[WireEnums.PayloadType.Names.Length][];
        foreach (var variant in Variants)
        {
            var family = (int)variant.Family;
            var tag = variant.Schema.Fields[0];
            var subtype = tag.Kind == FieldKind.VariantTag && tag.EnumTable!.TryParse(variant.Variant, out int value) ? value : 0;
            var row = index[family] ??= new ObjectSchema[tag.EnumTable?.Names.Length ?? 1];
            row[subtype] = variant.Schema;
        }

        return index;
    }
}
