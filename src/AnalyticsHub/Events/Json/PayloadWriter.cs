using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>Writes the <c>data</c> object of every payload variant in the producers' canonical shape.</summary>
internal static partial class PayloadWriter
{
    /// <summary>Writes <paramref name="payload"/> as the <c>data</c> object (with its variant tag first).</summary>
    public static void WriteData(Utf8JsonWriter writer, EventPayload payload)
    {
        switch (payload)
        {
            case Events.LatencyMetrics p:
                Write(writer, p);
                break;
            case Events.ThroughputMetrics p:
                Write(writer, p);
                break;
            case Events.ErrorRateMetrics p:
                Write(writer, p);
                break;
            case Events.TokenUsageMetrics p:
                Write(writer, p);
                break;
            case Events.ModelPerformanceMetrics p:
                Write(writer, p);
                break;
            case Events.ThreatEvent p:
                Write(writer, p);
                break;
            case Events.VulnerabilityEvent p:
                Write(writer, p);
                break;
            case Events.ComplianceViolationEvent p:
                Write(writer, p);
                break;
            case Events.AuthEvent p:
                Write(writer, p);
                break;
            case Events.PrivacyEvent p:
                Write(writer, p);
                break;
            case Events.TokenCostEvent p:
                Write(writer, p);
                break;
            case Events.ApiCostEvent p:
                Write(writer, p);
                break;
            case Events.ResourceConsumptionEvent p:
                Write(writer, p);
                break;
            case Events.BudgetAlertEvent p:
                Write(writer, p);
                break;
            case Events.PolicyViolationEvent p:
                Write(writer, p);
                break;
            case Events.AuditTrailEvent p:
                Write(writer, p);
                break;
            case Events.ComplianceCheckEvent p:
                Write(writer, p);
                break;
            case Events.DataLineageEvent p:
                Write(writer, p);
                break;
            case Events.CustomPayload p:
                Write(writer, p);
                break;
            default:
                throw new ArgumentException($"Unknown payload type {payload.GetType().Name}.", nameof(payload));
        }
    }

    private static void Write(Utf8JsonWriter writer, Events.LatencyBreakdown p)
    {
        writer.WriteStartObject();
        writer.WriteNumber("queue_time_ms"u8, p.QueueTimeMs);
        writer.WriteNumber("processing_time_ms"u8, p.ProcessingTimeMs);
        writer.WriteNumber("network_time_ms"u8, p.NetworkTimeMs);
        writer.WriteNumber("other_ms"u8, p.OtherMs);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ComplianceFinding p)
    {
        writer.WriteStartObject();
        writer.WriteString("control_id"u8, p.ControlId);
        writer.WriteString("status"u8, WireEnums.ComplianceStatus.Utf8Name(p.Status));
        writer.WriteString("description"u8, p.Description);
        WriteNullableString(writer, "evidence"u8, p.Evidence);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.LatencyMetrics p)
    {
        writer.WriteStartObject();
        writer.WriteString("telemetry_type"u8, WireEnums.TelemetryType.Utf8Name(p.TelemetryType));
        writer.WriteString("model_id"u8, p.ModelId);
        writer.WriteString("request_id"u8, p.RequestId);
        writer.WriteNumber("total_latency_ms"u8, p.TotalLatencyMs);

        if (p.TtftMs is { } ttftMs)
        {
            writer.WriteNumber("ttft_ms"u8, ttftMs);
        }

        if (p.TokensPerSecond is { } tokensPerSecond)
        {
            writer.WriteNumber("tokens_per_second"u8, tokensPerSecond);
        }

        if (p.Breakdown is { } breakdown)
        {
            writer.WritePropertyName("breakdown"u8);
            Write(writer, breakdown);
        }

        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ThroughputMetrics p)
    {
        writer.WriteStartObject();
        writer.WriteString("telemetry_type"u8, WireEnums.TelemetryType.Utf8Name(p.TelemetryType));
        writer.WriteString("model_id"u8, p.ModelId);
        writer.WriteNumber("requests_per_second"u8, p.RequestsPerSecond);
        writer.WriteNumber("tokens_per_second"u8, p.TokensPerSecond);
        writer.WriteNumber("concurrent_requests"u8, p.ConcurrentRequests);
        writer.WriteNumber("window_duration_seconds"u8, p.WindowDurationSeconds);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ErrorRateMetrics p)
    {
        writer.WriteStartObject();
        writer.WriteString("telemetry_type"u8, WireEnums.TelemetryType.Utf8Name(p.TelemetryType));
        writer.WriteString("model_id"u8, p.ModelId);
        writer.WriteNumber("total_requests"u8, p.TotalRequests);
        writer.WriteNumber("failed_requests"u8, p.FailedRequests);
        writer.WriteNumber("error_rate_percent"u8, p.ErrorRatePercent);
        WriteMap(writer, "error_breakdown"u8, p.ErrorBreakdown);
        writer.WriteNumber("window_duration_seconds"u8, p.WindowDurationSeconds);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.TokenUsageMetrics p)
    {
        writer.WriteStartObject();
        writer.WriteString("telemetry_type"u8, WireEnums.TelemetryType.Utf8Name(p.TelemetryType));
        writer.WriteString("model_id"u8, p.ModelId);
        writer.WriteString("request_id"u8, p.RequestId);
        writer.WriteNumber("prompt_tokens"u8, p.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, p.CompletionTokens);
        writer.WriteNumber("total_tokens"u8, p.TotalTokens);

        if (p.CachedInputTokens is { } cachedInputTokens)
        {
            writer.WriteNumber("cached_input_tokens"u8, cachedInputTokens);
        }

        if (p.CacheCreationInputTokens is { } cacheCreationInputTokens)
        {
            writer.WriteNumber("cache_creation_input_tokens"u8, cacheCreationInputTokens);
        }

        if (p.ReasoningTokens is { } reasoningTokens)
        {
            writer.WriteNumber("reasoning_tokens"u8, reasoningTokens);
        }

        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ModelPerformanceMetrics p)
    {
        writer.WriteStartObject();
        writer.WriteString("telemetry_type"u8, WireEnums.TelemetryType.Utf8Name(p.TelemetryType));
        writer.WriteString("model_id"u8, p.ModelId);
        WriteNullableNumber(writer, "accuracy"u8, p.Accuracy);
        WriteNullableNumber(writer, "quality_score"u8, p.QualityScore);
        WriteNullableNumber(writer, "user_satisfaction"u8, p.UserSatisfaction);
        WriteMap(writer, "custom_metrics"u8, p.CustomMetrics);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ThreatEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("security_type"u8, WireEnums.SecurityType.Utf8Name(p.SecurityType));
        writer.WriteString("threat_id"u8, p.ThreatId);
        WriteOpenEnum(writer, "threat_type"u8, p.ThreatType.OtherName, WireEnums.ThreatCategory.Utf8Name(p.ThreatType.Category));
        writer.WriteString("threat_level"u8, WireEnums.ThreatLevel.Utf8Name(p.ThreatLevel));
        WriteNullableString(writer, "source_ip"u8, p.SourceIp);
        writer.WriteString("target_resource"u8, p.TargetResource);
        writer.WriteString("attack_vector"u8, p.AttackVector);
        writer.WriteString("mitigation_status"u8, WireEnums.MitigationStatus.Utf8Name(p.MitigationStatus));
        WriteStringList(writer, "indicators_of_compromise"u8, p.IndicatorsOfCompromise);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.VulnerabilityEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("security_type"u8, WireEnums.SecurityType.Utf8Name(p.SecurityType));
        writer.WriteString("vulnerability_id"u8, p.VulnerabilityId);
        WriteNullableString(writer, "cve_id"u8, p.CveId);
        writer.WriteNumber("severity_score"u8, p.SeverityScore);
        writer.WriteString("affected_component"u8, p.AffectedComponent);
        writer.WriteString("description"u8, p.Description);
        writer.WriteString("remediation_status"u8, WireEnums.RemediationStatus.Utf8Name(p.RemediationStatus));
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ComplianceViolationEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("security_type"u8, WireEnums.SecurityType.Utf8Name(p.SecurityType));
        writer.WriteString("violation_id"u8, p.ViolationId);
        writer.WriteString("regulation"u8, p.Regulation);
        writer.WriteString("requirement"u8, p.Requirement);
        writer.WriteString("violation_description"u8, p.ViolationDescription);
        WriteStringList(writer, "affected_data_types"u8, p.AffectedDataTypes);
        writer.WriteBoolean("remediation_required"u8, p.RemediationRequired);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.AuthEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("security_type"u8, WireEnums.SecurityType.Utf8Name(p.SecurityType));
        writer.WriteString("user_id"u8, p.UserId);
        writer.WriteString("action"u8, WireEnums.AuthAction.Utf8Name(p.Action));
        writer.WriteString("resource"u8, p.Resource);
        writer.WriteBoolean("success"u8, p.Success);
        WriteNullableString(writer, "failure_reason"u8, p.FailureReason);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.PrivacyEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("security_type"u8, WireEnums.SecurityType.Utf8Name(p.SecurityType));
        writer.WriteString("data_type"u8, p.DataType);
        writer.WriteString("operation"u8, WireEnums.PrivacyOperation.Utf8Name(p.Operation));
        writer.WriteBoolean("user_consent"u8, p.UserConsent);
        WriteStringList(writer, "data_subjects"u8, p.DataSubjects);
        writer.WriteString("purpose"u8, p.Purpose);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.TokenCostEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("cost_type"u8, WireEnums.CostType.Utf8Name(p.CostType));
        writer.WriteString("model_id"u8, p.ModelId);
        writer.WriteString("request_id"u8, p.RequestId);
        writer.WriteNumber("prompt_tokens"u8, p.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, p.CompletionTokens);
        writer.WriteNumber("total_tokens"u8, p.TotalTokens);
        writer.WriteNumber("cost_per_prompt_token"u8, p.CostPerPromptToken);
        writer.WriteNumber("cost_per_completion_token"u8, p.CostPerCompletionToken);
        writer.WriteNumber("total_cost_usd"u8, p.TotalCostUsd);
        writer.WriteString("currency"u8, p.Currency);

        if (p.CachedInputTokens is { } cachedInputTokens)
        {
            writer.WriteNumber("cached_input_tokens"u8, cachedInputTokens);
        }

        if (p.CacheCreationInputTokens is { } cacheCreationInputTokens)
        {
            writer.WriteNumber("cache_creation_input_tokens"u8, cacheCreationInputTokens);
        }

        if (p.ReasoningTokens is { } reasoningTokens)
        {
            writer.WriteNumber("reasoning_tokens"u8, reasoningTokens);
        }

        if (p.CachedInputCostUsd is { } cachedInputCostUsd)
        {
            writer.WriteNumber("cached_input_cost_usd"u8, cachedInputCostUsd);
        }

        if (p.CacheCreationCostUsd is { } cacheCreationCostUsd)
        {
            writer.WriteNumber("cache_creation_cost_usd"u8, cacheCreationCostUsd);
        }

        if (p.ReasoningCostUsd is { } reasoningCostUsd)
        {
            writer.WriteNumber("reasoning_cost_usd"u8, reasoningCostUsd);
        }

        if (p.PriceVersion is { } priceVersion)
        {
            writer.WriteString("price_version"u8, priceVersion);
        }

        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ApiCostEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("cost_type"u8, WireEnums.CostType.Utf8Name(p.CostType));
        writer.WriteString("provider"u8, p.Provider);
        writer.WriteString("api_endpoint"u8, p.ApiEndpoint);
        writer.WriteNumber("request_count"u8, p.RequestCount);
        writer.WriteNumber("cost_per_request"u8, p.CostPerRequest);
        writer.WriteNumber("total_cost_usd"u8, p.TotalCostUsd);
        writer.WriteString("billing_period"u8, p.BillingPeriod);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ResourceConsumptionEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("cost_type"u8, WireEnums.CostType.Utf8Name(p.CostType));
        WriteOpenEnum(writer, "resource_type"u8, p.ResourceType.OtherName, WireEnums.ResourceCategory.Utf8Name(p.ResourceType.Category));
        writer.WriteString("resource_id"u8, p.ResourceId);
        writer.WriteNumber("quantity"u8, p.Quantity);
        writer.WriteString("unit"u8, p.Unit);
        writer.WriteNumber("cost_usd"u8, p.CostUsd);
        writer.WriteNumber("utilization_percent"u8, p.UtilizationPercent);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.BudgetAlertEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("cost_type"u8, WireEnums.CostType.Utf8Name(p.CostType));
        writer.WriteString("budget_id"u8, p.BudgetId);
        writer.WriteString("budget_name"u8, p.BudgetName);
        writer.WriteNumber("budget_limit_usd"u8, p.BudgetLimitUsd);
        writer.WriteNumber("current_spend_usd"u8, p.CurrentSpendUsd);
        writer.WriteNumber("threshold_percent"u8, p.ThresholdPercent);
        writer.WriteString("alert_type"u8, WireEnums.BudgetAlertType.Utf8Name(p.AlertType));
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.PolicyViolationEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("governance_type"u8, WireEnums.GovernanceType.Utf8Name(p.GovernanceType));
        writer.WriteString("policy_id"u8, p.PolicyId);
        writer.WriteString("policy_name"u8, p.PolicyName);
        writer.WriteString("violation_description"u8, p.ViolationDescription);
        WriteStringList(writer, "violated_rules"u8, p.ViolatedRules);
        writer.WriteString("resource_id"u8, p.ResourceId);
        WriteNullableString(writer, "user_id"u8, p.UserId);
        writer.WriteString("severity"u8, WireEnums.PolicyViolationSeverity.Utf8Name(p.Severity));
        writer.WriteBoolean("auto_remediated"u8, p.AutoRemediated);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.AuditTrailEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("governance_type"u8, WireEnums.GovernanceType.Utf8Name(p.GovernanceType));
        writer.WriteString("action"u8, p.Action);
        writer.WriteString("actor"u8, p.Actor);
        writer.WriteString("resource_type"u8, p.ResourceType);
        writer.WriteString("resource_id"u8, p.ResourceId);
        WriteMap(writer, "changes"u8, p.Changes);
        WriteNullableString(writer, "ip_address"u8, p.IpAddress);
        WriteNullableString(writer, "user_agent"u8, p.UserAgent);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.ComplianceCheckEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("governance_type"u8, WireEnums.GovernanceType.Utf8Name(p.GovernanceType));
        writer.WriteString("check_id"u8, p.CheckId);
        writer.WriteString("framework"u8, p.Framework);
        WriteStringList(writer, "controls_checked"u8, p.ControlsChecked);
        writer.WriteBoolean("passed"u8, p.Passed);

        writer.WriteStartArray("findings"u8);
        foreach (var item in p.Findings)
        {
            Write(writer, item);
        }

        writer.WriteEndArray();

        writer.WriteNumber("score"u8, p.Score);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Events.DataLineageEvent p)
    {
        writer.WriteStartObject();
        writer.WriteString("governance_type"u8, WireEnums.GovernanceType.Utf8Name(p.GovernanceType));
        writer.WriteString("data_asset_id"u8, p.DataAssetId);
        writer.WriteString("operation"u8, WireEnums.DataOperation.Utf8Name(p.Operation));
        WriteNullableString(writer, "source"u8, p.Source);
        WriteNullableString(writer, "destination"u8, p.Destination);
        WriteNullableString(writer, "transformation"u8, p.Transformation);
        WriteStringList(writer, "lineage_path"u8, p.LineagePath);
        writer.WriteEndObject();
    }
}
