using System.Text.Json;
using AnalyticsHub.Events;
using static AnalyticsHub.Tests.Events.EventJsonAssert;

namespace AnalyticsHub.Tests.Events;

/// <summary>
/// One hand-written event per payload variant, in the nested wire shape of spec section 1.3: each is
/// read (every field checked), written back and compared structurally with the input.
/// </summary>
public sealed class AnalyticsEventJsonGoldenTests
{
    private static readonly Guid Id1 = Guid.Parse("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    private static readonly Guid Id2 = Guid.Parse("11111111-2222-4333-8444-555555555555");
    private static readonly Guid Id3 = Guid.Parse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");

    [Fact]
    public void Read_SpecSection13Example_ReadsEveryFieldAndWritesItBack()
    {
        const string json = GoldenEvents.SpecSection13Example;

        var evt = ReadClean(json);

        Assert.Equal(Guid.Empty, evt.EventId);
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero), evt.Timestamp);
        Assert.Equal(TimeSpan.Zero, evt.Timestamp.Offset);
        Assert.Equal(SourceModule.LlmObservatory, evt.SourceModule);
        Assert.Equal(EventType.Telemetry, evt.EventType);
        Assert.Null(evt.Common.CorrelationId);
        Assert.Null(evt.Common.ParentEventId);
        Assert.Equal("1.0.0", evt.Common.SchemaVersion);
        Assert.Equal(Severity.Info, evt.Severity);
        Assert.Equal("production", evt.Common.Environment);
        Assert.Empty(evt.Common.Tags);
        var latency = Assert.IsType<LatencyMetrics>(evt.Payload);
        Assert.Equal(PayloadType.Telemetry, latency.PayloadType);
        Assert.Equal(TelemetryType.Latency, latency.TelemetryType);
        Assert.Equal("latency", latency.Subtype);
        Assert.Equal("gpt-4", latency.ModelId);
        Assert.Equal("r1", latency.RequestId);
        Assert.Equal(1523.45, latency.TotalLatencyMs);
        Assert.Null(latency.TtftMs);
        Assert.Equal(45.6, latency.TokensPerSecond);
        Assert.Equal(new LatencyBreakdown { QueueTimeMs = 1.0, ProcessingTimeMs = 2.0, NetworkTimeMs = 3.0, OtherMs = 0.0 }, latency.Breakdown);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_LatencyWithoutBreakdown_SkipsAbsentOptionalsOnWrite()
    {
        const string json = GoldenEvents.LatencyWithoutBreakdown;

        var evt = ReadClean(json);

        Assert.Equal(Id1, evt.EventId);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 0, 0, 250, TimeSpan.Zero), evt.Timestamp);
        Assert.Equal(Id2, evt.Common.CorrelationId);
        Assert.Equal(Id3, evt.Common.ParentEventId);
        Assert.Equal(Severity.Debug, evt.Severity);
        Assert.Equal("staging", evt.Common.Environment);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "search", ["region"] = "eu-west-1" }, evt.Common.Tags);
        var latency = Assert.IsType<LatencyMetrics>(evt.Payload);
        Assert.Equal("claude-3-haiku", latency.ModelId);
        Assert.Equal("req-42", latency.RequestId);
        Assert.Equal(87.0, latency.TotalLatencyMs);
        Assert.Equal(12.5, latency.TtftMs);
        Assert.Null(latency.TokensPerSecond);
        Assert.Null(latency.Breakdown);
        var written = AssertWrites(evt, json);
        Assert.DoesNotContain("breakdown", written, StringComparison.Ordinal);
        Assert.DoesNotContain("tokens_per_second", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throughput_ReadsEveryField()
    {
        const string json = GoldenEvents.Throughput;

        var evt = ReadClean(json);

        Assert.Equal(new DateTimeOffset(2024, 6, 30, 23, 59, 59, TimeSpan.Zero).AddTicks(1_234_560), evt.Timestamp);
        var p = Assert.IsType<ThroughputMetrics>(evt.Payload);
        Assert.Equal(TelemetryType.Throughput, p.TelemetryType);
        Assert.Equal("gpt-4o", p.ModelId);
        Assert.Equal(120.5, p.RequestsPerSecond);
        Assert.Equal(0.25, p.TokensPerSecond);
        Assert.Equal(uint.MaxValue, p.ConcurrentRequests);
        Assert.Equal(60u, p.WindowDurationSeconds);
        var written = AssertWrites(evt, json);
        Assert.Contains("\"timestamp\":\"2024-06-30T23:59:59.123456Z\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ErrorRate_KeepsU64ValuesExact()
    {
        const string json = GoldenEvents.ErrorRate;

        var evt = ReadClean(json);

        Assert.Equal(EventType.Alert, evt.EventType);
        Assert.Equal(Severity.Error, evt.Severity);
        var p = Assert.IsType<ErrorRateMetrics>(evt.Payload);
        Assert.Equal("gpt-4", p.ModelId);
        Assert.Equal(ulong.MaxValue, p.TotalRequests);
        Assert.Equal(9_007_199_254_740_993UL, p.FailedRequests);
        Assert.Equal(4.88, p.ErrorRatePercent);
        Assert.Equal(
            new Dictionary<string, ulong> { ["timeout"] = 9_007_199_254_740_993UL, ["rate_limited"] = ulong.MaxValue, ["server"] = 0 },
            p.ErrorBreakdown);
        Assert.Equal(300u, p.WindowDurationSeconds);
        var written = AssertWrites(evt, json);
        Assert.Contains("\"failed_requests\":9007199254740993", written, StringComparison.Ordinal);
        Assert.Contains("\"total_requests\":18446744073709551615", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TokenUsageWithoutAdditiveFields_LeavesThemNullAndUnwritten()
    {
        const string json = GoldenEvents.TokenUsageWithoutAdditiveFields;

        var evt = ReadClean(json);

        var p = Assert.IsType<TokenUsageMetrics>(evt.Payload);
        Assert.Equal(TelemetryType.TokenUsage, p.TelemetryType);
        Assert.Equal("gpt-4", p.ModelId);
        Assert.Equal("r1", p.RequestId);
        Assert.Equal(1200u, p.PromptTokens);
        Assert.Equal(300u, p.CompletionTokens);
        Assert.Equal(1500u, p.TotalTokens);
        Assert.Null(p.CachedInputTokens);
        Assert.Null(p.CacheCreationInputTokens);
        Assert.Null(p.ReasoningTokens);
        var written = AssertWrites(evt, json);
        Assert.DoesNotContain("cached", written, StringComparison.Ordinal);
        Assert.DoesNotContain("reasoning", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TokenUsageWithDecision9Fields_ReadsAndWritesThem()
    {
        const string json = GoldenEvents.TokenUsageWithDecision9Fields;

        var evt = ReadClean(json);

        Assert.Equal("1.2.0", evt.Common.SchemaVersion);
        var p = Assert.IsType<TokenUsageMetrics>(evt.Payload);
        Assert.Equal("claude-sonnet-4", p.ModelId);
        Assert.Equal("r2", p.RequestId);
        Assert.Equal(10000u, p.PromptTokens);
        Assert.Equal(2500u, p.CompletionTokens);
        Assert.Equal(12500u, p.TotalTokens);
        Assert.Equal(8000u, p.CachedInputTokens);
        Assert.Equal(0u, p.CacheCreationInputTokens);
        Assert.Equal(1800u, p.ReasoningTokens);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_ModelPerformanceWithNullOptionals_WritesThemAsNull()
    {
        const string json = GoldenEvents.ModelPerformanceWithNullOptionals;

        var evt = ReadClean(json);

        var p = Assert.IsType<ModelPerformanceMetrics>(evt.Payload);
        Assert.Equal(TelemetryType.ModelPerformance, p.TelemetryType);
        Assert.Equal("gpt-4", p.ModelId);
        Assert.Null(p.Accuracy);
        Assert.Equal(0.92, p.QualityScore);
        Assert.Null(p.UserSatisfaction);
        Assert.Equal(new Dictionary<string, double> { ["bleu"] = 0.41, ["rouge_l"] = 1e-7, ["huge"] = double.MaxValue }, p.CustomMetrics);
        var written = AssertWrites(evt, json);
        Assert.Contains("\"accuracy\":null", written, StringComparison.Ordinal);
        Assert.Contains("\"user_satisfaction\":null", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ModelPerformanceWithAbsentOptionals_ReadsNullAndWritesNull()
    {
        const string input = GoldenEvents.ModelPerformanceWithAbsentOptionals;
        const string expected = GoldenEvents.ModelPerformanceWithAbsentOptionalsWritten;

        var evt = ReadClean(input);

        var p = Assert.IsType<ModelPerformanceMetrics>(evt.Payload);
        Assert.Null(p.Accuracy);
        Assert.Null(p.QualityScore);
        Assert.Null(p.UserSatisfaction);
        Assert.Empty(p.CustomMetrics);
        AssertWrites(evt, expected);
    }

    [Fact]
    public void Read_ThreatWithKnownType_ReadsEveryField()
    {
        const string json = GoldenEvents.ThreatWithKnownType;

        var evt = ReadClean(json);

        Assert.Equal(SourceModule.LlmSentinel, evt.SourceModule);
        Assert.Equal(EventType.Security, evt.EventType);
        Assert.Equal(Severity.Critical, evt.Severity);
        var p = Assert.IsType<ThreatEvent>(evt.Payload);
        Assert.Equal(PayloadType.Security, p.PayloadType);
        Assert.Equal(SecurityType.Threat, p.SecurityType);
        Assert.Equal("threat", p.Subtype);
        Assert.Equal("t-1", p.ThreatId);
        Assert.Equal(ThreatType.PromptInjection, p.ThreatType);
        Assert.Equal(ThreatCategory.PromptInjection, p.ThreatType.Category);
        Assert.Null(p.ThreatType.OtherName);
        Assert.Equal(ThreatLevel.High, p.ThreatLevel);
        Assert.Equal("203.0.113.7", p.SourceIp);
        Assert.Equal("chat-api", p.TargetResource);
        Assert.Equal("user prompt", p.AttackVector);
        Assert.Equal(MitigationStatus.Blocked, p.MitigationStatus);
        Assert.Equal(["ignore previous instructions", "<script>alert(1)</script>"], p.IndicatorsOfCompromise);
        var written = AssertWrites(evt, json);
        Assert.Contains("<script>alert(1)</script>", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThreatWithBareUnknownType_ReadsOtherAndWritesTheObjectForm()
    {
        const string input = GoldenEvents.ThreatWithBareUnknownType;
        var expected = input.Replace("\"threat_type\":\"jailbreak\"", "\"threat_type\":{\"other\":\"jailbreak\"}", StringComparison.Ordinal);

        var evt = ReadClean(input);

        var p = Assert.IsType<ThreatEvent>(evt.Payload);
        Assert.Equal(ThreatType.Other("jailbreak"), p.ThreatType);
        Assert.Equal(ThreatCategory.Other, p.ThreatType.Category);
        Assert.Equal("jailbreak", p.ThreatType.OtherName);
        Assert.Equal(ThreatLevel.Medium, p.ThreatLevel);
        Assert.Null(p.SourceIp);
        Assert.Equal(MitigationStatus.Investigating, p.MitigationStatus);
        Assert.Empty(p.IndicatorsOfCompromise);
        var written = AssertWrites(evt, expected);
        Assert.Contains("\"source_ip\":null", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThreatWithOtherObject_ReadsOtherName()
    {
        const string json = GoldenEvents.ThreatWithOtherObject;

        var evt = ReadClean(json);

        var p = Assert.IsType<ThreatEvent>(evt.Payload);
        Assert.Equal(ThreatType.Other("model extraction"), p.ThreatType);
        Assert.Equal(ThreatLevel.Low, p.ThreatLevel);
        Assert.Equal("::1", p.SourceIp);
        Assert.Equal("embeddings", p.TargetResource);
        Assert.Equal("api scraping", p.AttackVector);
        Assert.Equal(MitigationStatus.Detected, p.MitigationStatus);
        Assert.Equal(["10k requests/min"], p.IndicatorsOfCompromise);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_Vulnerability_ReadsEveryField()
    {
        const string json = GoldenEvents.Vulnerability;

        var evt = ReadClean(json);

        var p = Assert.IsType<VulnerabilityEvent>(evt.Payload);
        Assert.Equal(SecurityType.Vulnerability, p.SecurityType);
        Assert.Equal("v-9", p.VulnerabilityId);
        Assert.Equal("CVE-2024-12345", p.CveId);
        Assert.Equal(9.8, p.SeverityScore);
        Assert.Equal("tokenizer", p.AffectedComponent);
        Assert.Equal("Heap overflow in the BPE merge table", p.Description);
        Assert.Equal(RemediationStatus.PatchAvailable, p.RemediationStatus);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_ComplianceViolation_ReadsEveryField()
    {
        const string json = GoldenEvents.ComplianceViolation;

        var evt = ReadClean(json);

        var p = Assert.IsType<ComplianceViolationEvent>(evt.Payload);
        Assert.Equal(SecurityType.ComplianceViolation, p.SecurityType);
        Assert.Equal("cv-1", p.ViolationId);
        Assert.Equal("GDPR", p.Regulation);
        Assert.Equal("Art. 5(1)(c)", p.Requirement);
        Assert.Equal("Prompt logged with an e-mail address", p.ViolationDescription);
        Assert.Equal(["email", "name"], p.AffectedDataTypes);
        Assert.True(p.RemediationRequired);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_Auth_ReadsEveryField()
    {
        const string json = GoldenEvents.Auth;

        var evt = ReadClean(json);

        var p = Assert.IsType<AuthEvent>(evt.Payload);
        Assert.Equal(SecurityType.Auth, p.SecurityType);
        Assert.Equal("u-17", p.UserId);
        Assert.Equal(AuthAction.PermissionDenied, p.Action);
        Assert.Equal("/v1/models/gpt-4", p.Resource);
        Assert.False(p.Success);
        Assert.Equal("missing scope 'models:write'", p.FailureReason);
        var written = AssertWrites(evt, json);
        Assert.Contains("'models:write'", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Privacy_ReadsEveryField()
    {
        const string json = GoldenEvents.Privacy;

        var evt = ReadClean(json);

        var p = Assert.IsType<PrivacyEvent>(evt.Payload);
        Assert.Equal(SecurityType.Privacy, p.SecurityType);
        Assert.Equal("chat_history", p.DataType);
        Assert.Equal(PrivacyOperation.DataDeletion, p.Operation);
        Assert.True(p.UserConsent);
        Assert.Equal(["u-1", "u-2", "Zoë"], p.DataSubjects);
        Assert.Equal("right to erasure", p.Purpose);
        var written = AssertWrites(evt, json);
        Assert.Contains("Zoë", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TokenCostWithDecision9Fields_ReadsEveryField()
    {
        const string json = GoldenEvents.TokenCostWithDecision9Fields;

        var evt = ReadClean(json);

        Assert.Equal(SourceModule.LlmCostOps, evt.SourceModule);
        Assert.Equal(EventType.Cost, evt.EventType);
        var p = Assert.IsType<TokenCostEvent>(evt.Payload);
        Assert.Equal(PayloadType.Cost, p.PayloadType);
        Assert.Equal(CostType.TokenCost, p.CostType);
        Assert.Equal("claude-sonnet-4", p.ModelId);
        Assert.Equal("r1", p.RequestId);
        Assert.Equal(10000u, p.PromptTokens);
        Assert.Equal(2500u, p.CompletionTokens);
        Assert.Equal(12500u, p.TotalTokens);
        Assert.Equal(0.000003, p.CostPerPromptToken);
        Assert.Equal(0.000015, p.CostPerCompletionToken);
        Assert.Equal(0.0675, p.TotalCostUsd);
        Assert.Equal("USD", p.Currency);
        Assert.Equal(8000u, p.CachedInputTokens);
        Assert.Equal(1000u, p.CacheCreationInputTokens);
        Assert.Equal(500u, p.ReasoningTokens);
        Assert.Equal(0.0024, p.CachedInputCostUsd);
        Assert.Equal(0.00375, p.CacheCreationCostUsd);
        Assert.Equal(0.0075, p.ReasoningCostUsd);
        Assert.Equal("anthropic-2025-05", p.PriceVersion);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_TokenCostWithoutDecision9Fields_LeavesThemNullAndUnwritten()
    {
        const string json = GoldenEvents.TokenCostWithoutDecision9Fields;

        var evt = ReadClean(json);

        var p = Assert.IsType<TokenCostEvent>(evt.Payload);
        Assert.Equal("EUR", p.Currency);
        Assert.Null(p.CachedInputTokens);
        Assert.Null(p.CacheCreationInputTokens);
        Assert.Null(p.ReasoningTokens);
        Assert.Null(p.CachedInputCostUsd);
        Assert.Null(p.CacheCreationCostUsd);
        Assert.Null(p.ReasoningCostUsd);
        Assert.Null(p.PriceVersion);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_ApiCost_ReadsEveryField()
    {
        const string json = GoldenEvents.ApiCost;

        var evt = ReadClean(json);

        var p = Assert.IsType<ApiCostEvent>(evt.Payload);
        Assert.Equal(CostType.ApiCost, p.CostType);
        Assert.Equal("openai", p.Provider);
        Assert.Equal("/v1/embeddings", p.ApiEndpoint);
        Assert.Equal(9_007_199_254_740_993UL, p.RequestCount);
        Assert.Equal(0.0001, p.CostPerRequest);
        Assert.Equal(900719925474.0993, p.TotalCostUsd);
        Assert.Equal("2024-01", p.BillingPeriod);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_ResourceConsumptionWithOtherType_ReadsOtherName()
    {
        const string json = GoldenEvents.ResourceConsumptionWithOtherType;

        var evt = ReadClean(json);

        var p = Assert.IsType<ResourceConsumptionEvent>(evt.Payload);
        Assert.Equal(CostType.ResourceConsumption, p.CostType);
        Assert.Equal(ResourceType.Other("tpu"), p.ResourceType);
        Assert.Equal(ResourceCategory.Other, p.ResourceType.Category);
        Assert.Equal("tpu", p.ResourceType.OtherName);
        Assert.Equal("tpu-v5e-1", p.ResourceId);
        Assert.Equal(12.5, p.Quantity);
        Assert.Equal("chip-hours", p.Unit);
        Assert.Equal(15.0, p.CostUsd);
        Assert.Equal(135.5, p.UtilizationPercent);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_ResourceConsumptionWithKnownType_WritesTheBareName()
    {
        const string json = GoldenEvents.ResourceConsumptionWithKnownType;

        var evt = ReadClean(json);

        var p = Assert.IsType<ResourceConsumptionEvent>(evt.Payload);
        Assert.Equal(ResourceType.Gpu, p.ResourceType);
        Assert.Null(p.ResourceType.OtherName);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_BudgetAlert_ReadsEveryField()
    {
        const string json = GoldenEvents.BudgetAlert;

        var evt = ReadClean(json);

        Assert.Equal(EventType.Alert, evt.EventType);
        var p = Assert.IsType<BudgetAlertEvent>(evt.Payload);
        Assert.Equal(CostType.BudgetAlert, p.CostType);
        Assert.Equal("b-1", p.BudgetId);
        Assert.Equal("Team Search — monthly", p.BudgetName);
        Assert.Equal(10000.0, p.BudgetLimitUsd);
        Assert.Equal(10250.75, p.CurrentSpendUsd);
        Assert.Equal(102.5075, p.ThresholdPercent);
        Assert.Equal(BudgetAlertType.Exceeded, p.AlertType);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_PolicyViolation_ReadsEveryField()
    {
        const string json = GoldenEvents.PolicyViolation;

        var evt = ReadClean(json);

        Assert.Equal(SourceModule.LlmPolicyEngine, evt.SourceModule);
        Assert.Equal(EventType.Governance, evt.EventType);
        var p = Assert.IsType<PolicyViolationEvent>(evt.Payload);
        Assert.Equal(PayloadType.Governance, p.PayloadType);
        Assert.Equal(GovernanceType.PolicyViolation, p.GovernanceType);
        Assert.Equal("p-7", p.PolicyId);
        Assert.Equal("No PII in prompts", p.PolicyName);
        Assert.Equal("SSN pattern matched", p.ViolationDescription);
        Assert.Equal(["pii.ssn", "pii.any"], p.ViolatedRules);
        Assert.Equal("chat-api", p.ResourceId);
        Assert.Null(p.UserId);
        Assert.Equal(PolicyViolationSeverity.High, p.Severity);
        Assert.False(p.AutoRemediated);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_AuditTrailWithNestedChanges_KeepsTheJsonValues()
    {
        const string json = GoldenEvents.AuditTrailWithNestedChanges;

        var evt = ReadClean(json);

        Assert.Equal(SourceModule.LlmGovernanceDashboard, evt.SourceModule);
        Assert.Equal(EventType.Audit, evt.EventType);
        var p = Assert.IsType<AuditTrailEvent>(evt.Payload);
        Assert.Equal(GovernanceType.AuditTrail, p.GovernanceType);
        Assert.Equal("config_change", p.Action);
        Assert.Equal("alice@example.com", p.Actor);
        Assert.Equal("model_route", p.ResourceType);
        Assert.Equal("route-3", p.ResourceId);
        Assert.Equal(["enabled", "limits", "models", "note", "temperature"], p.Changes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0.2, p.Changes["temperature"].GetProperty("new").GetDouble());
        Assert.Equal(JsonValueKind.Array, p.Changes["models"].ValueKind);
        Assert.Equal(JsonValueKind.True, p.Changes["enabled"].ValueKind);
        Assert.Equal(JsonValueKind.Null, p.Changes["note"].ValueKind);
        Assert.Equal(9_007_199_254_740_993UL, p.Changes["limits"].GetProperty("rpm").GetUInt64());
        Assert.Equal("y", p.Changes["limits"].GetProperty("nested").GetProperty("deep")[1].GetProperty("x").GetString());
        Assert.Equal("198.51.100.4", p.IpAddress);
        Assert.Null(p.UserAgent);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_ComplianceCheckWithFindings_ReadsEveryFinding()
    {
        const string json = GoldenEvents.ComplianceCheckWithFindings;

        var evt = ReadClean(json);

        var p = Assert.IsType<ComplianceCheckEvent>(evt.Payload);
        Assert.Equal(GovernanceType.ComplianceCheck, p.GovernanceType);
        Assert.Equal("cc-1", p.CheckId);
        Assert.Equal("SOC2", p.Framework);
        Assert.Equal(["CC6.1", "CC6.2", "CC7.2"], p.ControlsChecked);
        Assert.False(p.Passed);
        Assert.Equal(
            [
                new ComplianceFinding { ControlId = "CC6.1", Status = ComplianceStatus.Pass, Description = "MFA enforced", Evidence = "idp-report-2024-01.pdf" },
                new ComplianceFinding { ControlId = "CC6.2", Status = ComplianceStatus.Fail, Description = "Stale API keys" },
                new ComplianceFinding { ControlId = "CC7.2", Status = ComplianceStatus.NotApplicable, Description = "No on-prem hosts" },
            ],
            p.Findings);
        Assert.Equal(0.5, p.Score);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_DataLineage_ReadsEveryField()
    {
        const string json = GoldenEvents.DataLineage;

        var evt = ReadClean(json);

        Assert.Equal(SourceModule.LlmRegistry, evt.SourceModule);
        var p = Assert.IsType<DataLineageEvent>(evt.Payload);
        Assert.Equal(GovernanceType.DataLineage, p.GovernanceType);
        Assert.Equal("ds-12", p.DataAssetId);
        Assert.Equal(DataOperation.Transform, p.Operation);
        Assert.Equal("s3://raw/chats", p.Source);
        Assert.Null(p.Destination);
        Assert.Equal("pii-redaction", p.Transformation);
        Assert.Equal(["s3://raw/chats", "redactor", "s3://clean/chats"], p.LineagePath);
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_CustomWithObjectData_KeepsTheJsonValue()
    {
        const string json = GoldenEvents.CustomWithObjectData;

        var evt = ReadClean(json);

        Assert.Equal(SourceModule.LlmAnalyticsHub, evt.SourceModule);
        var p = Assert.IsType<CustomPayload>(evt.Payload);
        Assert.Equal(PayloadType.Custom, p.PayloadType);
        Assert.Equal("anomaly", p.CustomType);
        Assert.Equal("anomaly", p.Subtype);
        Assert.Equal(JsonValueKind.Object, p.Data.ValueKind);
        Assert.Equal("latency_ms", p.Data.GetProperty("metric").GetString());
        Assert.Equal(4.2, p.Data.GetProperty("score").GetDouble());
        Assert.Equal(3, p.Data.GetProperty("points").GetArrayLength());
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_CustomWithNullData_KeepsNull()
    {
        const string json = GoldenEvents.CustomWithNullData;

        var evt = ReadClean(json);

        Assert.Equal(EventType.Lifecycle, evt.EventType);
        var p = Assert.IsType<CustomPayload>(evt.Payload);
        Assert.Equal("model_registered", p.CustomType);
        Assert.Equal(JsonValueKind.Null, p.Data.ValueKind);
        var written = AssertWrites(evt, json);
        Assert.Contains("\"data\":null", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_CustomWithUnsetData_WritesNull()
    {
        var evt = new AnalyticsEvent
        {
            Common = new CommonEventFields
            {
                EventId = Id1,
                Timestamp = new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero),
                SourceModule = SourceModule.LlmRegistry,
                EventType = EventType.Lifecycle,
                Severity = Severity.Info,
                Environment = "production",
            },
            Payload = new CustomPayload { CustomType = "x" },
        };

        AssertWrites(evt, GoldenEvents.CustomWithUnsetDataWritten);
    }
}
