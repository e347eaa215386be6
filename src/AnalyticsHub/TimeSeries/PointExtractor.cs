using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// Turns analytics events into time-series points, the seed's "metrics collection" pattern: one measurement per
/// payload kind, low-cardinality tags (source module, environment, model, region, tenant and a few enum values of
/// the payload), and the payload's numbers as fields. The full mapping is the table in <c>docs/timeseries.md</c>.
/// </summary>
/// <remarks>
/// Identifiers (request, user, resource ids) never become tags: they are unbounded and would trip the store's
/// cardinality guard. Of the event's own tags only <c>region</c>, <c>service</c>, <c>version</c> and <c>tenant</c> are copied.
/// Each source type has one method (<c>Extract(...)</c>) that builds its fields and shares the tag rules.
/// </remarks>
public static class PointExtractor
{
    /// <summary>The event tag copied as the <c>tenant</c> point tag.</summary>
    public const string TenantTag = "tenant";

    /// <summary>Extracts the point of one event.</summary>
    /// <param name="analyticsEvent">The event.</param>
    /// <returns>The point: measurement per payload kind, event timestamp, tags and fields as in the mapping table.</returns>
    public static TimeSeriesPoint Extract(AnalyticsEvent analyticsEvent)
    {
        ArgumentNullException.ThrowIfNull(analyticsEvent);
        var fields = PointFieldsBuilder.Rent();
        PointTagMap? extra = null;
        string? modelId = null;
        string measurement;
        switch (analyticsEvent.Payload)
        {
            case LatencyMetrics p:
                measurement = "llm_latency";
                modelId = p.ModelId;
                fields.Add("latency_ms", p.TotalLatencyMs).AddIfPresent("ttft_ms", p.TtftMs).AddIfPresent("tokens_per_second", p.TokensPerSecond);
                if (p.Breakdown is { } b)
                {
                    fields.Add("queue_time_ms", b.QueueTimeMs).Add("processing_time_ms", b.ProcessingTimeMs)
                        .Add("network_time_ms", b.NetworkTimeMs).Add("other_ms", b.OtherMs);
                }

                break;
            case ThroughputMetrics p:
                measurement = "llm_throughput";
                modelId = p.ModelId;
                fields.Add("throughput", p.RequestsPerSecond).Add("tokens_per_second", p.TokensPerSecond)
                    .Add("concurrent_requests", (ulong)p.ConcurrentRequests).Add("window_duration_seconds", (ulong)p.WindowDurationSeconds);
                break;
            case ErrorRateMetrics p:
                measurement = "llm_error_rate";
                modelId = p.ModelId;
                fields.Add("error_count", p.FailedRequests).Add("success_count", p.TotalRequests >= p.FailedRequests ? p.TotalRequests - p.FailedRequests : 0)
                    .Add("total_requests", p.TotalRequests).Add("error_rate_percent", p.ErrorRatePercent)
                    .Add("window_duration_seconds", (ulong)p.WindowDurationSeconds);
                foreach (var (kind, count) in p.ErrorBreakdown)
                {
                    fields.Add("error_breakdown." + kind, count);
                }

                break;
            case TokenUsageMetrics p:
                measurement = "llm_token_usage";
                modelId = p.ModelId;
                fields.Add("token_count", (ulong)p.TotalTokens).Add("prompt_tokens", (ulong)p.PromptTokens).Add("completion_tokens", (ulong)p.CompletionTokens)
                    .AddIfPresent("cached_input_tokens", p.CachedInputTokens).AddIfPresent("cache_creation_input_tokens", p.CacheCreationInputTokens)
                    .AddIfPresent("reasoning_tokens", p.ReasoningTokens);
                break;
            case ModelPerformanceMetrics p:
                measurement = "llm_model_performance";
                modelId = p.ModelId;
                fields.Add("evaluation_count", 1UL).AddIfPresent("accuracy", p.Accuracy).AddIfPresent("quality_score", p.QualityScore)
                    .AddIfPresent("user_satisfaction", p.UserSatisfaction);
                foreach (var (name, value) in p.CustomMetrics)
                {
                    fields.Add("custom_metrics." + name, value);
                }

                break;
            case ThreatEvent p:
                measurement = "security_threat";
                fields.Add("threat_count", 1UL).Add("blocked_count", p.MitigationStatus == MitigationStatus.Blocked ? 1UL : 0UL)
                    .Add("threat_level_score", (ulong)p.ThreatLevel + 1).Add("indicator_count", (ulong)p.IndicatorsOfCompromise.Count);
                extra = new()
                {
                    ["threat_type"] = WireEnums.ThreatCategory.GetName(p.ThreatType.Category),
                    ["threat_level"] = WireEnums.ThreatLevel.GetName(p.ThreatLevel),
                    ["mitigation_status"] = WireEnums.MitigationStatus.GetName(p.MitigationStatus),
                };
                break;
            case VulnerabilityEvent p:
                measurement = "security_vulnerability";
                fields.Add("vulnerability_count", 1UL).Add("severity_score", p.SeverityScore);
                extra = new() { ["remediation_status"] = WireEnums.RemediationStatus.GetName(p.RemediationStatus) };
                break;
            case ComplianceViolationEvent p:
                measurement = "security_compliance_violation";
                fields.Add("violation_count", 1UL).Add("remediation_required", p.RemediationRequired)
                    .Add("affected_data_type_count", (ulong)p.AffectedDataTypes.Count);
                extra = new() { ["regulation"] = p.Regulation };
                break;
            case AuthEvent p:
                measurement = "security_auth";
                fields.Add("auth_count", 1UL).Add("success_count", p.Success ? 1UL : 0UL).Add("failure_count", p.Success ? 0UL : 1UL);
                extra = new() { ["action"] = WireEnums.AuthAction.GetName(p.Action) };
                break;
            case PrivacyEvent p:
                measurement = "security_privacy";
                fields.Add("operation_count", 1UL).Add("user_consent", p.UserConsent).Add("data_subject_count", (ulong)p.DataSubjects.Count);
                extra = new() { ["operation"] = WireEnums.PrivacyOperation.GetName(p.Operation), ["data_type"] = p.DataType };
                break;
            case TokenCostEvent p:
                measurement = "cost_token";
                modelId = p.ModelId;
                fields.Add("cost_usd", p.TotalCostUsd).Add("token_count", (ulong)p.TotalTokens).Add("prompt_tokens", (ulong)p.PromptTokens)
                    .Add("completion_tokens", (ulong)p.CompletionTokens).Add("cost_per_prompt_token", p.CostPerPromptToken)
                    .Add("cost_per_completion_token", p.CostPerCompletionToken)
                    .AddIfPresent("cached_input_tokens", p.CachedInputTokens).AddIfPresent("cache_creation_input_tokens", p.CacheCreationInputTokens)
                    .AddIfPresent("reasoning_tokens", p.ReasoningTokens).AddIfPresent("cached_input_cost_usd", p.CachedInputCostUsd)
                    .AddIfPresent("cache_creation_cost_usd", p.CacheCreationCostUsd).AddIfPresent("reasoning_cost_usd", p.ReasoningCostUsd);
                extra = new() { ["currency"] = p.Currency };
                break;
            case ApiCostEvent p:
                measurement = "cost_api";
                fields.Add("cost_usd", p.TotalCostUsd).Add("request_count", p.RequestCount).Add("cost_per_request", p.CostPerRequest);
                extra = new() { ["provider"] = p.Provider, ["api_endpoint"] = p.ApiEndpoint };
                break;
            case ResourceConsumptionEvent p:
                measurement = "cost_resource";
                fields.Add("cost_usd", p.CostUsd).Add("utilization_percent", p.UtilizationPercent).Add("quantity", p.Quantity);
                extra = new()
                {
                    ["resource_type"] = WireEnums.ResourceCategory.GetName(p.ResourceType.Category),
                    ["unit"] = p.Unit,
                };
                break;
            case BudgetAlertEvent p:
                measurement = "cost_budget_alert";
                fields.Add("budget_limit_usd", p.BudgetLimitUsd).Add("current_spend_usd", p.CurrentSpendUsd).Add("threshold_percent", p.ThresholdPercent);
                extra = new() { ["budget_id"] = p.BudgetId, ["alert_type"] = WireEnums.BudgetAlertType.GetName(p.AlertType) };
                break;
            case PolicyViolationEvent p:
                measurement = "governance_policy_violation";
                fields.Add("violation_count", 1UL).Add("auto_remediated", p.AutoRemediated).Add("violated_rule_count", (ulong)p.ViolatedRules.Count);
                extra = new() { ["policy_id"] = p.PolicyId, ["severity"] = WireEnums.PolicyViolationSeverity.GetName(p.Severity) };
                break;
            case AuditTrailEvent p:
                measurement = "governance_audit_trail";
                fields.Add("audit_count", 1UL).Add("change_count", (ulong)p.Changes.Count);
                extra = new() { ["action"] = p.Action, ["resource_type"] = p.ResourceType };
                break;
            case ComplianceCheckEvent p:
                measurement = "governance_compliance_check";
                var failed = 0UL;
                foreach (var finding in p.Findings)
                {
                    failed += finding.Status == ComplianceStatus.Fail ? 1UL : 0UL;
                }

                fields.Add("compliance_score", p.Score).Add("passed", p.Passed).Add("controls_checked_count", (ulong)p.ControlsChecked.Count)
                    .Add("finding_count", (ulong)p.Findings.Count).Add("failed_finding_count", failed);
                extra = new() { ["framework"] = p.Framework };
                break;
            case DataLineageEvent p:
                measurement = "governance_data_lineage";
                fields.Add("lineage_count", 1UL).Add("lineage_path_length", (ulong)p.LineagePath.Count);
                extra = new() { ["operation"] = WireEnums.DataOperation.GetName(p.Operation) };
                break;
            case CustomPayload p:
                measurement = "custom";
                fields.Add("event_count", 1UL);
                AddJsonNumbers(fields, p.Data);
                extra = new() { ["custom_type"] = p.CustomType };
                break;
            default:
                throw new ArgumentException("Unknown payload type " + analyticsEvent.Payload.GetType().Name + ".", nameof(analyticsEvent));
        }

        return new TimeSeriesPoint
        {
            Measurement = measurement,
            Timestamp = analyticsEvent.Timestamp,
            Tags = BuildTags(analyticsEvent.Common, modelId, extra),
            Fields = fields.Build(),
        };
    }

    /// <summary>The tags every extracted point gets: the event's module, environment, the model when the payload has one, and region/service/version/tenant from the event's tags.</summary>
    /// <param name="common">The event's common fields.</param>
    /// <param name="modelId">The payload's model, if any.</param>
    /// <param name="extra">Payload-specific tags (may be null).</param>
    /// <returns>The tag set.</returns>
    internal static TagSet BuildTags(CommonEventFields common, string? modelId, PointTagMap? extra)
    {
        common.Tags.TryGetValue("region", out var region);
        common.Tags.TryGetValue("service", out var service);
        common.Tags.TryGetValue("version", out var version);
        if (common.Tags.TryGetValue(TenantTag, out var tenant))
        {
            extra ??= new();
            extra.TryAdd(TenantTag, tenant);
        }

        return new TagSet
        {
            SourceModule = WireEnums.SourceModule.GetName(common.SourceModule),
            Environment = common.Environment,
            ModelId = modelId,
            Region = region,
            Service = service,
            Version = version,
            Custom = extra is null ? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty : extra,
        };
    }

    private static void AddJsonNumbers(PointFieldsBuilder fields, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in data.EnumerateObject())
        {
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    var raw = value.GetRawText();
                    if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && value.TryGetInt64(out var signed))
                    {
                        fields.Add(property.Name, FieldValue.FromInt64(signed));
                    }
                    else if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && value.TryGetUInt64(out var unsigned))
                    {
                        fields.Add(property.Name, unsigned);
                    }
                    else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                    {
                        fields.Add(property.Name, number);
                    }

                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    fields.Add(property.Name, value.ValueKind == JsonValueKind.True);
                    break;
                default:
                    break;
            }
        }
    }
}
