namespace AnalyticsHub.Events;

/// <summary>
/// Checks an event against every rule of the spec (decisions 3, 4, 7 and 8): event type and payload
/// agree, numbers are finite and in range, required strings are non-empty, the timestamp is not too
/// far in the future, tags are within limits. Returns all problems at once.
/// </summary>
/// <remarks>
/// Errors reject the event; warnings (<see cref="ProblemCodes.SeverityScoreOutOfRange"/>,
/// <see cref="ProblemCodes.TokenTotalMismatch"/>) accept it. The JSON size limit is checked where the
/// bytes are known, by <see cref="EventBatchReader"/>. Thread-safe.
/// </remarks>
public sealed class EventValidator
{
    private const string Data = "payload.data.";

    private readonly EventValidationOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a validator.</summary>
    /// <param name="options">The limits; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for the future-skew rule; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public EventValidator(EventValidationOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new EventValidationOptions();
        _options.EnsureValid();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The limits in force.</summary>
    public EventValidationOptions Options => _options;

    /// <summary>Every problem of <paramref name="evt"/>; empty when it is clean.</summary>
    public IReadOnlyList<Problem> Validate(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var sink = default(Sink);
        ValidateCommon(ref sink, evt);
        ValidatePayload(ref sink, evt.Payload);
        return sink.Problems ?? (IReadOnlyList<Problem>)[];
    }

    private void ValidateCommon(ref Sink sink, AnalyticsEvent evt)
    {
        var common = evt.Common;
        if (!SchemaVersion.IsSupported(common.SchemaVersion))
        {
            sink.Error(ProblemCodes.UnsupportedSchemaVersion, "schema_version",
                $"Schema version '{common.SchemaVersion}' is not supported; supported versions: {SchemaVersion.Supported}.");
        }

        if (!Agrees(common.EventType, evt.Payload.PayloadType))
        {
            sink.Error(ProblemCodes.EventTypeMismatch, "event_type",
                $"event_type '{Json.WireEnums.EventType.GetName(common.EventType)}' does not agree with a {Json.WireEnums.PayloadType.GetName(evt.Payload.PayloadType)} payload; "
                + $"use '{Json.WireEnums.PayloadType.GetName(evt.Payload.PayloadType)}', 'alert', 'audit' or 'lifecycle'.");
        }

        Enum("source_module", common.SourceModule, ref sink);
        Enum("event_type", common.EventType, ref sink);
        Enum("severity", common.Severity, ref sink);
        Text(ref sink, "environment", common.Environment);

        var latest = _timeProvider.GetUtcNow() + _options.MaxFutureSkew;
        if (common.Timestamp > latest)
        {
            sink.Error(ProblemCodes.TimestampInFuture, "timestamp",
                $"The timestamp {Json.RfcTimestamp.ToString(common.Timestamp)} is more than {_options.MaxFutureSkew} ahead of the clock.");
        }

        var tags = common.Tags;
        if (tags is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, "tags", "'tags' may not be null.");
            return;
        }

        if (tags.Count > _options.MaxTags)
        {
            sink.Error(ProblemCodes.TooManyTags, "tags", $"The event has {tags.Count} tags; at most {_options.MaxTags} are allowed.");
        }

        if (tags is Dictionary<string, string> concrete)
        {
            // The common case: enumerate without boxing an enumerator.
            foreach (var (key, value) in concrete)
            {
                CheckTag(ref sink, key, value);
            }
        }
        else
        {
            foreach (var (key, value) in tags)
            {
                CheckTag(ref sink, key, value);
            }
        }
    }

    private void CheckTag(ref Sink sink, string key, string? value)
    {
        if (key.Length == 0 || key.Length > _options.MaxTagKeyLength)
        {
            sink.Error(ProblemCodes.TagKeyInvalid, "tags." + key,
                $"Tag keys must have 1..{_options.MaxTagKeyLength} characters; this one has {key.Length}.");
        }

        if (value is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, "tags." + key, "Tag values may not be null.");
        }
        else if (value.Length > _options.MaxTagValueLength)
        {
            sink.Error(ProblemCodes.TagValueTooLong, "tags." + key,
                $"Tag values may have at most {_options.MaxTagValueLength} characters; this one has {value.Length}.");
        }
    }

    /// <summary>Decision 3: a module payload needs its own event type or alert/audit/lifecycle; custom takes any.</summary>
    private static bool Agrees(EventType eventType, PayloadType payloadType) =>
        payloadType == PayloadType.Custom
        || eventType is EventType.Alert or EventType.Audit or EventType.Lifecycle
        || (int)eventType == (int)payloadType;

    private static void ValidatePayload(ref Sink sink, EventPayload payload)
    {
        if (payload is TelemetryPayload telemetry)
        {
            Text(ref sink, Data + "model_id", telemetry.ModelId);
        }

        switch (payload)
        {
            case LatencyMetrics p:
                Text(ref sink, Data + "request_id", p.RequestId);
                NonNegative(ref sink, Data + "total_latency_ms", p.TotalLatencyMs);
                NonNegative(ref sink, Data + "ttft_ms", p.TtftMs);
                NonNegative(ref sink, Data + "tokens_per_second", p.TokensPerSecond);
                if (p.Breakdown is { } b)
                {
                    NonNegative(ref sink, Data + "breakdown.queue_time_ms", b.QueueTimeMs);
                    NonNegative(ref sink, Data + "breakdown.processing_time_ms", b.ProcessingTimeMs);
                    NonNegative(ref sink, Data + "breakdown.network_time_ms", b.NetworkTimeMs);
                    NonNegative(ref sink, Data + "breakdown.other_ms", b.OtherMs);
                }

                break;

            case ThroughputMetrics p:
                NonNegative(ref sink, Data + "requests_per_second", p.RequestsPerSecond);
                NonNegative(ref sink, Data + "tokens_per_second", p.TokensPerSecond);
                break;

            case ErrorRateMetrics p:
                Percent(ref sink, Data + "error_rate_percent", p.ErrorRatePercent);
                Map(ref sink, Data + "error_breakdown", p.ErrorBreakdown);
                break;

            case TokenUsageMetrics p:
                Text(ref sink, Data + "request_id", p.RequestId);
                TokenTotal(ref sink, p.PromptTokens, p.CompletionTokens, p.TotalTokens);
                break;

            case ModelPerformanceMetrics p:
                Finite(ref sink, Data + "accuracy", p.Accuracy);
                Finite(ref sink, Data + "quality_score", p.QualityScore);
                Finite(ref sink, Data + "user_satisfaction", p.UserSatisfaction);
                Map(ref sink, Data + "custom_metrics", p.CustomMetrics);
                break;

            case ThreatEvent p:
                Text(ref sink, Data + "threat_id", p.ThreatId);
                Text(ref sink, Data + "target_resource", p.TargetResource);
                Text(ref sink, Data + "attack_vector", p.AttackVector);
                Enum(Data + "threat_level", p.ThreatLevel, ref sink);
                Enum(Data + "mitigation_status", p.MitigationStatus, ref sink);
                List(ref sink, Data + "indicators_of_compromise", p.IndicatorsOfCompromise);
                if (p.ThreatType.Category == ThreatCategory.Other && string.IsNullOrEmpty(p.ThreatType.OtherName))
                {
                    sink.Error(ProblemCodes.EmptyValue, Data + "threat_type", "An other threat type needs a name.");
                }

                break;

            case VulnerabilityEvent p:
                Text(ref sink, Data + "vulnerability_id", p.VulnerabilityId);
                Text(ref sink, Data + "affected_component", p.AffectedComponent);
                Text(ref sink, Data + "description", p.Description);
                Enum(Data + "remediation_status", p.RemediationStatus, ref sink);
                if (Finite(ref sink, Data + "severity_score", p.SeverityScore) && p.SeverityScore is < 0 or > 10)
                {
                    sink.Warning(ProblemCodes.SeverityScoreOutOfRange, Data + "severity_score",
                        $"severity_score {p.SeverityScore} lies outside 0..10.");
                }

                break;

            case ComplianceViolationEvent p:
                Text(ref sink, Data + "violation_id", p.ViolationId);
                Text(ref sink, Data + "regulation", p.Regulation);
                Text(ref sink, Data + "requirement", p.Requirement);
                Text(ref sink, Data + "violation_description", p.ViolationDescription);
                List(ref sink, Data + "affected_data_types", p.AffectedDataTypes);
                break;

            case AuthEvent p:
                Text(ref sink, Data + "user_id", p.UserId);
                Text(ref sink, Data + "resource", p.Resource);
                Enum(Data + "action", p.Action, ref sink);
                break;

            case PrivacyEvent p:
                Text(ref sink, Data + "data_type", p.DataType);
                Text(ref sink, Data + "purpose", p.Purpose);
                Enum(Data + "operation", p.Operation, ref sink);
                List(ref sink, Data + "data_subjects", p.DataSubjects);
                break;

            case TokenCostEvent p:
                Text(ref sink, Data + "model_id", p.ModelId);
                Text(ref sink, Data + "request_id", p.RequestId);
                Text(ref sink, Data + "currency", p.Currency);
                TokenTotal(ref sink, p.PromptTokens, p.CompletionTokens, p.TotalTokens);
                NonNegative(ref sink, Data + "cost_per_prompt_token", p.CostPerPromptToken);
                NonNegative(ref sink, Data + "cost_per_completion_token", p.CostPerCompletionToken);
                NonNegative(ref sink, Data + "total_cost_usd", p.TotalCostUsd);
                NonNegative(ref sink, Data + "cached_input_cost_usd", p.CachedInputCostUsd);
                NonNegative(ref sink, Data + "cache_creation_cost_usd", p.CacheCreationCostUsd);
                NonNegative(ref sink, Data + "reasoning_cost_usd", p.ReasoningCostUsd);
                break;

            case ApiCostEvent p:
                Text(ref sink, Data + "provider", p.Provider);
                Text(ref sink, Data + "api_endpoint", p.ApiEndpoint);
                Text(ref sink, Data + "billing_period", p.BillingPeriod);
                NonNegative(ref sink, Data + "cost_per_request", p.CostPerRequest);
                NonNegative(ref sink, Data + "total_cost_usd", p.TotalCostUsd);
                break;

            case ResourceConsumptionEvent p:
                Text(ref sink, Data + "resource_id", p.ResourceId);
                Text(ref sink, Data + "unit", p.Unit);
                NonNegative(ref sink, Data + "quantity", p.Quantity);
                NonNegative(ref sink, Data + "cost_usd", p.CostUsd);
                NonNegative(ref sink, Data + "utilization_percent", p.UtilizationPercent);
                if (p.ResourceType.Category == ResourceCategory.Other && string.IsNullOrEmpty(p.ResourceType.OtherName))
                {
                    sink.Error(ProblemCodes.EmptyValue, Data + "resource_type", "An other resource type needs a name.");
                }

                break;

            case BudgetAlertEvent p:
                Text(ref sink, Data + "budget_id", p.BudgetId);
                Text(ref sink, Data + "budget_name", p.BudgetName);
                NonNegative(ref sink, Data + "budget_limit_usd", p.BudgetLimitUsd);
                NonNegative(ref sink, Data + "current_spend_usd", p.CurrentSpendUsd);
                NonNegative(ref sink, Data + "threshold_percent", p.ThresholdPercent);
                Enum(Data + "alert_type", p.AlertType, ref sink);
                break;

            case PolicyViolationEvent p:
                Text(ref sink, Data + "policy_id", p.PolicyId);
                Text(ref sink, Data + "policy_name", p.PolicyName);
                Text(ref sink, Data + "violation_description", p.ViolationDescription);
                Text(ref sink, Data + "resource_id", p.ResourceId);
                Enum(Data + "severity", p.Severity, ref sink);
                List(ref sink, Data + "violated_rules", p.ViolatedRules);
                break;

            case AuditTrailEvent p:
                Text(ref sink, Data + "action", p.Action);
                Text(ref sink, Data + "actor", p.Actor);
                Text(ref sink, Data + "resource_type", p.ResourceType);
                Text(ref sink, Data + "resource_id", p.ResourceId);
                break;

            case ComplianceCheckEvent p:
                Text(ref sink, Data + "check_id", p.CheckId);
                Text(ref sink, Data + "framework", p.Framework);
                List(ref sink, Data + "controls_checked", p.ControlsChecked);
                Percent(ref sink, Data + "score", p.Score);
                for (var i = 0; i < p.Findings.Count; i++)
                {
                    var finding = p.Findings[i];
                    var prefix = $"{Data}findings[{i}].";
                    Text(ref sink, prefix + "control_id", finding.ControlId);
                    Text(ref sink, prefix + "description", finding.Description);
                    Enum(prefix + "status", finding.Status, ref sink);
                }

                break;

            case DataLineageEvent p:
                Text(ref sink, Data + "data_asset_id", p.DataAssetId);
                Enum(Data + "operation", p.Operation, ref sink);
                List(ref sink, Data + "lineage_path", p.LineagePath);
                break;

            case CustomPayload p:
                Text(ref sink, Data + "custom_type", p.CustomType);
                break;
        }
    }

    private static void Text(ref Sink sink, string path, string? value)
    {
        if (value is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, path, "This field may not be null.");
        }
        else if (value.Length == 0)
        {
            sink.Error(ProblemCodes.EmptyValue, path, "This field may not be empty.");
        }
    }

    private static void List(ref Sink sink, string path, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, path, "This list may not be null.");
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                sink.Error(ProblemCodes.NullNotAllowed, $"{path}[{i}]", "List items may not be null.");
            }
        }
    }

    private static void Map(ref Sink sink, string path, IReadOnlyDictionary<string, double>? values)
    {
        if (values is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, path, "This map may not be null.");
            return;
        }

        foreach (var (key, value) in values)
        {
            Finite(ref sink, path + "." + key, value);
        }
    }

    private static void Map(ref Sink sink, string path, IReadOnlyDictionary<string, ulong>? values)
    {
        if (values is null)
        {
            sink.Error(ProblemCodes.NullNotAllowed, path, "This map may not be null.");
        }
    }

    private static void Enum<TEnum>(string path, TEnum value, ref Sink sink)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            sink.Error(ProblemCodes.InvalidEnumValue, path, $"{value} is not a defined {typeof(TEnum).Name}.");
        }
    }

    private static bool Finite(ref Sink sink, string path, double? value)
    {
        if (value is { } number && !double.IsFinite(number))
        {
            sink.Error(ProblemCodes.NonFiniteNumber, path, $"{number} is not a finite number.");
            return false;
        }

        return true;
    }

    private static void NonNegative(ref Sink sink, string path, double? value)
    {
        if (Finite(ref sink, path, value) && value < 0)
        {
            sink.Error(ProblemCodes.NegativeValue, path, $"{value} is negative; this value must be >= 0.");
        }
    }

    private static void Percent(ref Sink sink, string path, double value)
    {
        if (Finite(ref sink, path, value) && value is < 0 or > 100)
        {
            sink.Error(ProblemCodes.PercentOutOfRange, path, $"{value} lies outside 0..100.");
        }
    }

    private static void TokenTotal(ref Sink sink, uint prompt, uint completion, uint total)
    {
        if ((ulong)prompt + completion != total)
        {
            sink.Warning(ProblemCodes.TokenTotalMismatch, Data + "total_tokens",
                $"total_tokens {total} differs from prompt_tokens + completion_tokens = {(ulong)prompt + completion}.");
        }
    }

    /// <summary>Collects problems, allocating only when there is one.</summary>
    private struct Sink
    {
        public List<Problem>? Problems;

        public void Error(string code, string path, string message) =>
            (Problems ??= []).Add(new Problem(code, ProblemSeverity.Error, path, message));

        public void Warning(string code, string path, string message) =>
            (Problems ??= []).Add(new Problem(code, ProblemSeverity.Warning, path, message));
    }
}
