using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// Every field path the language knows: the common fields, tags, and a table from (payload variant,
/// field name) to a getter. Paths are resolved once at compile time; the interpreter resolves them on
/// every evaluation, which is what makes it the slow reference.
/// </summary>
internal static class FieldCatalog
{
    private const long UnixEpochTicks = 621355968000000000;

    private static readonly Dictionary<string, FieldBinding> CommonFields = new(StringComparer.Ordinal)
    {
        ["severity"] = Common(StaticType.Enum(EnumDomain.Severity), static e => Value.FromEnum(EnumDomain.Severity, (int)e.Common.Severity)),
        ["source_module"] = Common(StaticType.Enum(EnumDomain.SourceModule), static e => Value.FromEnum(EnumDomain.SourceModule, (int)e.Common.SourceModule)),
        ["event_type"] = Common(StaticType.Enum(EnumDomain.EventType), static e => Value.FromEnum(EnumDomain.EventType, (int)e.Common.EventType)),
        ["environment"] = Common(StaticType.String, static e => Value.FromString(e.Common.Environment)),
        ["schema_version"] = Common(StaticType.String, static e => Value.FromString(e.Common.SchemaVersion)),
        ["timestamp"] = Common(StaticType.Number, static e => Value.FromNumber((e.Common.Timestamp.UtcTicks - UnixEpochTicks) / (double)TimeSpan.TicksPerSecond)),
        ["payload.payload_type"] = Common(StaticType.Enum(EnumDomain.PayloadType), static e => Value.FromEnum(EnumDomain.PayloadType, (int)e.Payload.PayloadType)),
        ["payload.subtype"] = Common(StaticType.String, static e => Value.FromString(e.Payload.Subtype)),
    };

    private static readonly Dictionary<string, List<PayloadAccessor>> PayloadFields = BuildPayloadFields();

    private static readonly Dictionary<string, List<PayloadAccessor>> PayloadMaps = BuildPayloadMaps();

    private static readonly Dictionary<string, FieldBinding> UnfilteredPayloadBindings = BuildUnfiltered();

    private static readonly HashSet<string> Kinds = BuildKinds();

    /// <summary>Whether <paramref name="kind"/> names a payload family (<c>cost</c>) or variant (<c>token_cost</c>).</summary>
    public static bool IsPayloadKind(string kind) => Kinds.Contains(kind);

    /// <summary>The payload families and variants, for messages.</summary>
    public static string AllowedKinds => string.Join(", ", Kinds.Order(StringComparer.Ordinal));

    /// <summary>
    /// Binds a path: a variable (single segment, declared by <paramref name="variables"/>), a common
    /// field, <c>tags.KEY</c>, <c>payload.data.FIELD</c> (or just <c>FIELD</c>), or an entry of a
    /// payload map (<c>payload.data.custom_metrics.KEY</c>). <paramref name="kind"/> restricts the
    /// payload fields that count as known, for the static type; the binding still reads every variant.
    /// </summary>
    public static FieldBinding? Resolve(FieldNode node, IVariableSource? variables, string? kind)
    {
        var segments = node.Segments;
        if (segments.Count == 1 && variables is not null && variables.TryGetSlot(segments[0], out var slot))
        {
            return new FieldBinding { Kind = FieldBindingKind.Variable, Type = StaticType.Any, Slot = slot };
        }

        if (CommonFields.TryGetValue(node.Path, out var common))
        {
            return common;
        }

        if (segments.Count == 2 && segments[0] == "tags")
        {
            return new FieldBinding { Kind = FieldBindingKind.Tag, Type = StaticType.String, Key = segments[1] };
        }

        // payload.data.x[.key] or the short form x[.key].
        var start = segments.Count >= 3 && segments[0] == "payload" && segments[1] == "data" ? 2 : 0;
        var rest = segments.Count - start;
        if (start == 0 && segments[0] is "payload" or "tags")
        {
            return null;
        }

        var name = start == 0 ? node.Path : node.Path["payload.data.".Length..];
        if (kind is null && UnfilteredPayloadBindings.TryGetValue(name, out var unfiltered))
        {
            return unfiltered;
        }

        if (PayloadFields.TryGetValue(name, out var fields))
        {
            return Filtered(FieldBindingKind.Payload, fields, kind, null);
        }

        if (rest == 2 && PayloadMaps.TryGetValue(segments[start], out var maps))
        {
            return Filtered(FieldBindingKind.PayloadMap, maps, kind, segments[start + 1]);
        }

        return null;
    }

    private static FieldBinding? Filtered(FieldBindingKind bindingKind, List<PayloadAccessor> accessors, string? kind, string? key)
    {
        StaticType? type = null;
        foreach (var accessor in accessors)
        {
            if (kind is null || accessor.Family == kind || accessor.Variant == kind)
            {
                type = type is null || type == accessor.Type ? accessor.Type : StaticType.Any;
            }
        }

        return type is null ? null : new FieldBinding { Kind = bindingKind, Type = type.Value, Accessors = [.. accessors], Key = key };
    }

    private static FieldBinding Common(StaticType type, Func<AnalyticsEvent, Value> get) =>
        new() { Kind = FieldBindingKind.Common, Type = type, Common = get };

    private static Dictionary<string, FieldBinding> BuildUnfiltered()
    {
        var result = new Dictionary<string, FieldBinding>(StringComparer.Ordinal);
        foreach (var (name, accessors) in PayloadFields)
        {
            result[name] = Filtered(FieldBindingKind.Payload, accessors, null, null)!;
        }

        return result;
    }

    private static HashSet<string> BuildKinds()
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var accessors in PayloadFields.Values)
        {
            foreach (var accessor in accessors)
            {
                kinds.Add(accessor.Family);
                kinds.Add(accessor.Variant);
            }
        }

        return kinds;
    }

    private static Dictionary<string, List<PayloadAccessor>> BuildPayloadMaps()
    {
        var maps = new Dictionary<string, List<PayloadAccessor>>(StringComparer.Ordinal);
        void Map<T>(string family, string variant, string name, Func<T, string, Value> get)
            where T : EventPayload
        {
            if (!maps.TryGetValue(name, out var list))
            {
                maps[name] = list = [];
            }

            list.Add(new PayloadAccessor.MapEntry<T>(family, variant, get));
        }

        Map<ErrorRateMetrics>("telemetry", "error_rate", "error_breakdown",
            static (ErrorRateMetrics p, string key) => p.ErrorBreakdown.TryGetValue(key, out var n) ? Value.FromNumber((double)n) : Value.Null);
        Map<ModelPerformanceMetrics>("telemetry", "model_performance", "custom_metrics",
            static (p, key) => p.CustomMetrics.TryGetValue(key, out var n) ? Value.FromNumber(n) : Value.Null);
        return maps;
    }

    private static Dictionary<string, List<PayloadAccessor>> BuildPayloadFields()
    {
        var fields = new Dictionary<string, List<PayloadAccessor>>(StringComparer.Ordinal);
        void Add(string name, PayloadAccessor accessor)
        {
            if (!fields.TryGetValue(name, out var list))
            {
                fields[name] = list = [];
            }

            list.Add(accessor);
        }

        void Num<T>(string family, string variant, string name, Func<T, double> get)
            where T : EventPayload => Add(name, new PayloadAccessor.Number<T>(family, variant, get));

        void OptNum<T>(string family, string variant, string name, Func<T, double?> get)
            where T : EventPayload => Add(name, new PayloadAccessor.OptionalNumber<T>(family, variant, get));

        void Str<T>(string family, string variant, string name, Func<T, string?> get)
            where T : EventPayload => Add(name, new PayloadAccessor.Text<T>(family, variant, get));

        void Bool<T>(string family, string variant, string name, Func<T, bool> get)
            where T : EventPayload => Add(name, new PayloadAccessor.Flag<T>(family, variant, get));

        void Enum<T>(string family, string variant, string name, EnumDomain domain, Func<T, int> get)
            where T : EventPayload => Add(name, new PayloadAccessor.EnumValue<T>(family, variant, domain, get));

        const string T = "telemetry";
        Enum<LatencyMetrics>(T, "latency", "telemetry_type", EnumDomain.TelemetryType, static p => (int)p.TelemetryType);
        Str<LatencyMetrics>(T, "latency", "model_id", static p => p.ModelId);
        Str<LatencyMetrics>(T, "latency", "request_id", static p => p.RequestId);
        Num<LatencyMetrics>(T, "latency", "total_latency_ms", static p => p.TotalLatencyMs);
        OptNum<LatencyMetrics>(T, "latency", "ttft_ms", static p => p.TtftMs);
        OptNum<LatencyMetrics>(T, "latency", "tokens_per_second", static p => p.TokensPerSecond);
        OptNum<LatencyMetrics>(T, "latency", "breakdown.queue_time_ms", static p => p.Breakdown?.QueueTimeMs);
        OptNum<LatencyMetrics>(T, "latency", "breakdown.processing_time_ms", static p => p.Breakdown?.ProcessingTimeMs);
        OptNum<LatencyMetrics>(T, "latency", "breakdown.network_time_ms", static p => p.Breakdown?.NetworkTimeMs);
        OptNum<LatencyMetrics>(T, "latency", "breakdown.other_ms", static p => p.Breakdown?.OtherMs);

        Enum<ThroughputMetrics>(T, "throughput", "telemetry_type", EnumDomain.TelemetryType, static p => (int)p.TelemetryType);
        Str<ThroughputMetrics>(T, "throughput", "model_id", static p => p.ModelId);
        Num<ThroughputMetrics>(T, "throughput", "requests_per_second", static p => p.RequestsPerSecond);
        Num<ThroughputMetrics>(T, "throughput", "tokens_per_second", static p => p.TokensPerSecond);
        Num<ThroughputMetrics>(T, "throughput", "concurrent_requests", static p => p.ConcurrentRequests);
        Num<ThroughputMetrics>(T, "throughput", "window_duration_seconds", static p => p.WindowDurationSeconds);

        Enum<ErrorRateMetrics>(T, "error_rate", "telemetry_type", EnumDomain.TelemetryType, static p => (int)p.TelemetryType);
        Str<ErrorRateMetrics>(T, "error_rate", "model_id", static p => p.ModelId);
        Num<ErrorRateMetrics>(T, "error_rate", "total_requests", static p => p.TotalRequests);
        Num<ErrorRateMetrics>(T, "error_rate", "failed_requests", static p => p.FailedRequests);
        Num<ErrorRateMetrics>(T, "error_rate", "error_rate_percent", static p => p.ErrorRatePercent);
        Num<ErrorRateMetrics>(T, "error_rate", "window_duration_seconds", static p => p.WindowDurationSeconds);

        Enum<TokenUsageMetrics>(T, "token_usage", "telemetry_type", EnumDomain.TelemetryType, static p => (int)p.TelemetryType);
        Str<TokenUsageMetrics>(T, "token_usage", "model_id", static p => p.ModelId);
        Str<TokenUsageMetrics>(T, "token_usage", "request_id", static p => p.RequestId);
        Num<TokenUsageMetrics>(T, "token_usage", "prompt_tokens", static p => p.PromptTokens);
        Num<TokenUsageMetrics>(T, "token_usage", "completion_tokens", static p => p.CompletionTokens);
        Num<TokenUsageMetrics>(T, "token_usage", "total_tokens", static p => p.TotalTokens);
        OptNum<TokenUsageMetrics>(T, "token_usage", "cached_input_tokens", static p => p.CachedInputTokens);
        OptNum<TokenUsageMetrics>(T, "token_usage", "cache_creation_input_tokens", static p => p.CacheCreationInputTokens);
        OptNum<TokenUsageMetrics>(T, "token_usage", "reasoning_tokens", static p => p.ReasoningTokens);

        Enum<ModelPerformanceMetrics>(T, "model_performance", "telemetry_type", EnumDomain.TelemetryType, static p => (int)p.TelemetryType);
        Str<ModelPerformanceMetrics>(T, "model_performance", "model_id", static p => p.ModelId);
        OptNum<ModelPerformanceMetrics>(T, "model_performance", "accuracy", static p => p.Accuracy);
        OptNum<ModelPerformanceMetrics>(T, "model_performance", "quality_score", static p => p.QualityScore);
        OptNum<ModelPerformanceMetrics>(T, "model_performance", "user_satisfaction", static p => p.UserSatisfaction);

        const string S = "security";
        Enum<ThreatEvent>(S, "threat", "security_type", EnumDomain.SecurityType, static p => (int)p.SecurityType);
        Str<ThreatEvent>(S, "threat", "threat_id", static p => p.ThreatId);
        Str<ThreatEvent>(S, "threat", "threat_type", static p => p.ThreatType.ToString());
        Enum<ThreatEvent>(S, "threat", "threat_level", EnumDomain.ThreatLevel, static p => (int)p.ThreatLevel);
        Str<ThreatEvent>(S, "threat", "source_ip", static p => p.SourceIp);
        Str<ThreatEvent>(S, "threat", "target_resource", static p => p.TargetResource);
        Str<ThreatEvent>(S, "threat", "attack_vector", static p => p.AttackVector);
        Enum<ThreatEvent>(S, "threat", "mitigation_status", EnumDomain.MitigationStatus, static p => (int)p.MitigationStatus);

        Enum<VulnerabilityEvent>(S, "vulnerability", "security_type", EnumDomain.SecurityType, static p => (int)p.SecurityType);
        Str<VulnerabilityEvent>(S, "vulnerability", "vulnerability_id", static p => p.VulnerabilityId);
        Str<VulnerabilityEvent>(S, "vulnerability", "cve_id", static p => p.CveId);
        Num<VulnerabilityEvent>(S, "vulnerability", "severity_score", static p => p.SeverityScore);
        Str<VulnerabilityEvent>(S, "vulnerability", "affected_component", static p => p.AffectedComponent);
        Str<VulnerabilityEvent>(S, "vulnerability", "description", static p => p.Description);
        Enum<VulnerabilityEvent>(S, "vulnerability", "remediation_status", EnumDomain.RemediationStatus, static p => (int)p.RemediationStatus);

        Enum<ComplianceViolationEvent>(S, "compliance_violation", "security_type", EnumDomain.SecurityType, static p => (int)p.SecurityType);
        Str<ComplianceViolationEvent>(S, "compliance_violation", "violation_id", static p => p.ViolationId);
        Str<ComplianceViolationEvent>(S, "compliance_violation", "regulation", static p => p.Regulation);
        Str<ComplianceViolationEvent>(S, "compliance_violation", "requirement", static p => p.Requirement);
        Str<ComplianceViolationEvent>(S, "compliance_violation", "violation_description", static p => p.ViolationDescription);
        Bool<ComplianceViolationEvent>(S, "compliance_violation", "remediation_required", static p => p.RemediationRequired);

        Enum<AuthEvent>(S, "auth", "security_type", EnumDomain.SecurityType, static p => (int)p.SecurityType);
        Str<AuthEvent>(S, "auth", "user_id", static p => p.UserId);
        Enum<AuthEvent>(S, "auth", "action", EnumDomain.AuthAction, static p => (int)p.Action);
        Str<AuthEvent>(S, "auth", "resource", static p => p.Resource);
        Bool<AuthEvent>(S, "auth", "success", static p => p.Success);
        Str<AuthEvent>(S, "auth", "failure_reason", static p => p.FailureReason);

        Enum<PrivacyEvent>(S, "privacy", "security_type", EnumDomain.SecurityType, static p => (int)p.SecurityType);
        Str<PrivacyEvent>(S, "privacy", "data_type", static p => p.DataType);
        Enum<PrivacyEvent>(S, "privacy", "operation", EnumDomain.PrivacyOperation, static p => (int)p.Operation);
        Bool<PrivacyEvent>(S, "privacy", "user_consent", static p => p.UserConsent);
        Str<PrivacyEvent>(S, "privacy", "purpose", static p => p.Purpose);

        const string C = "cost";
        Enum<TokenCostEvent>(C, "token_cost", "cost_type", EnumDomain.CostType, static p => (int)p.CostType);
        Str<TokenCostEvent>(C, "token_cost", "model_id", static p => p.ModelId);
        Str<TokenCostEvent>(C, "token_cost", "request_id", static p => p.RequestId);
        Num<TokenCostEvent>(C, "token_cost", "prompt_tokens", static p => p.PromptTokens);
        Num<TokenCostEvent>(C, "token_cost", "completion_tokens", static p => p.CompletionTokens);
        Num<TokenCostEvent>(C, "token_cost", "total_tokens", static p => p.TotalTokens);
        Num<TokenCostEvent>(C, "token_cost", "cost_per_prompt_token", static p => p.CostPerPromptToken);
        Num<TokenCostEvent>(C, "token_cost", "cost_per_completion_token", static p => p.CostPerCompletionToken);
        Num<TokenCostEvent>(C, "token_cost", "total_cost_usd", static p => p.TotalCostUsd);
        Str<TokenCostEvent>(C, "token_cost", "currency", static p => p.Currency);
        OptNum<TokenCostEvent>(C, "token_cost", "cached_input_tokens", static p => p.CachedInputTokens);
        OptNum<TokenCostEvent>(C, "token_cost", "cache_creation_input_tokens", static p => p.CacheCreationInputTokens);
        OptNum<TokenCostEvent>(C, "token_cost", "reasoning_tokens", static p => p.ReasoningTokens);
        OptNum<TokenCostEvent>(C, "token_cost", "cached_input_cost_usd", static p => p.CachedInputCostUsd);
        OptNum<TokenCostEvent>(C, "token_cost", "cache_creation_cost_usd", static p => p.CacheCreationCostUsd);
        OptNum<TokenCostEvent>(C, "token_cost", "reasoning_cost_usd", static p => p.ReasoningCostUsd);
        Str<TokenCostEvent>(C, "token_cost", "price_version", static p => p.PriceVersion);

        Enum<ApiCostEvent>(C, "api_cost", "cost_type", EnumDomain.CostType, static p => (int)p.CostType);
        Str<ApiCostEvent>(C, "api_cost", "provider", static p => p.Provider);
        Str<ApiCostEvent>(C, "api_cost", "api_endpoint", static p => p.ApiEndpoint);
        Num<ApiCostEvent>(C, "api_cost", "request_count", static p => p.RequestCount);
        Num<ApiCostEvent>(C, "api_cost", "cost_per_request", static p => p.CostPerRequest);
        Num<ApiCostEvent>(C, "api_cost", "total_cost_usd", static p => p.TotalCostUsd);
        Str<ApiCostEvent>(C, "api_cost", "billing_period", static p => p.BillingPeriod);

        Enum<ResourceConsumptionEvent>(C, "resource_consumption", "cost_type", EnumDomain.CostType, static p => (int)p.CostType);
        Str<ResourceConsumptionEvent>(C, "resource_consumption", "resource_type", static p => p.ResourceType.ToString());
        Str<ResourceConsumptionEvent>(C, "resource_consumption", "resource_id", static p => p.ResourceId);
        Num<ResourceConsumptionEvent>(C, "resource_consumption", "quantity", static p => p.Quantity);
        Str<ResourceConsumptionEvent>(C, "resource_consumption", "unit", static p => p.Unit);
        Num<ResourceConsumptionEvent>(C, "resource_consumption", "cost_usd", static p => p.CostUsd);
        Num<ResourceConsumptionEvent>(C, "resource_consumption", "utilization_percent", static p => p.UtilizationPercent);

        Enum<BudgetAlertEvent>(C, "budget_alert", "cost_type", EnumDomain.CostType, static p => (int)p.CostType);
        Str<BudgetAlertEvent>(C, "budget_alert", "budget_id", static p => p.BudgetId);
        Str<BudgetAlertEvent>(C, "budget_alert", "budget_name", static p => p.BudgetName);
        Num<BudgetAlertEvent>(C, "budget_alert", "budget_limit_usd", static p => p.BudgetLimitUsd);
        Num<BudgetAlertEvent>(C, "budget_alert", "current_spend_usd", static p => p.CurrentSpendUsd);
        Num<BudgetAlertEvent>(C, "budget_alert", "threshold_percent", static p => p.ThresholdPercent);
        Enum<BudgetAlertEvent>(C, "budget_alert", "alert_type", EnumDomain.BudgetAlertType, static p => (int)p.AlertType);

        const string G = "governance";
        Enum<PolicyViolationEvent>(G, "policy_violation", "governance_type", EnumDomain.GovernanceType, static p => (int)p.GovernanceType);
        Str<PolicyViolationEvent>(G, "policy_violation", "policy_id", static p => p.PolicyId);
        Str<PolicyViolationEvent>(G, "policy_violation", "policy_name", static p => p.PolicyName);
        Str<PolicyViolationEvent>(G, "policy_violation", "violation_description", static p => p.ViolationDescription);
        Str<PolicyViolationEvent>(G, "policy_violation", "resource_id", static p => p.ResourceId);
        Str<PolicyViolationEvent>(G, "policy_violation", "user_id", static p => p.UserId);
        Enum<PolicyViolationEvent>(G, "policy_violation", "severity", EnumDomain.PolicyViolationSeverity, static p => (int)p.Severity);
        Bool<PolicyViolationEvent>(G, "policy_violation", "auto_remediated", static p => p.AutoRemediated);

        Enum<AuditTrailEvent>(G, "audit_trail", "governance_type", EnumDomain.GovernanceType, static p => (int)p.GovernanceType);
        Str<AuditTrailEvent>(G, "audit_trail", "action", static p => p.Action);
        Str<AuditTrailEvent>(G, "audit_trail", "actor", static p => p.Actor);
        Str<AuditTrailEvent>(G, "audit_trail", "resource_type", static p => p.ResourceType);
        Str<AuditTrailEvent>(G, "audit_trail", "resource_id", static p => p.ResourceId);
        Str<AuditTrailEvent>(G, "audit_trail", "ip_address", static p => p.IpAddress);
        Str<AuditTrailEvent>(G, "audit_trail", "user_agent", static p => p.UserAgent);

        Enum<ComplianceCheckEvent>(G, "compliance_check", "governance_type", EnumDomain.GovernanceType, static p => (int)p.GovernanceType);
        Str<ComplianceCheckEvent>(G, "compliance_check", "check_id", static p => p.CheckId);
        Str<ComplianceCheckEvent>(G, "compliance_check", "framework", static p => p.Framework);
        Bool<ComplianceCheckEvent>(G, "compliance_check", "passed", static p => p.Passed);
        Num<ComplianceCheckEvent>(G, "compliance_check", "score", static p => p.Score);

        Enum<DataLineageEvent>(G, "data_lineage", "governance_type", EnumDomain.GovernanceType, static p => (int)p.GovernanceType);
        Str<DataLineageEvent>(G, "data_lineage", "data_asset_id", static p => p.DataAssetId);
        Enum<DataLineageEvent>(G, "data_lineage", "operation", EnumDomain.DataOperation, static p => (int)p.Operation);
        Str<DataLineageEvent>(G, "data_lineage", "source", static p => p.Source);
        Str<DataLineageEvent>(G, "data_lineage", "destination", static p => p.Destination);
        Str<DataLineageEvent>(G, "data_lineage", "transformation", static p => p.Transformation);

        Str<CustomPayload>("custom", "custom", "custom_type", static p => p.CustomType);
        return fields;
    }
}
