using System.Text.Json;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Events;

/// <summary>One valid event per payload variant, at a fixed instant, for rule-by-rule tests.</summary>
internal static class SampleEvents
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static AnalyticsEvent Event(EventPayload payload, EventType? type = null) => new()
    {
        Common = new CommonEventFields
        {
            EventId = Guid.Parse("6f1c1f5e-1d7e-4c3b-9a55-0c6f1f7c2a11"),
            Timestamp = Now.AddMinutes(-1),
            SourceModule = SourceModule.LlmObservatory,
            EventType = type ?? (payload is CustomPayload ? EventType.Audit : AnalyticsEventFactory.DefaultEventType(payload)),
            Severity = Severity.Info,
            Environment = "production",
            Tags = new Dictionary<string, string> { ["team"] = "ml" },
        },
        Payload = payload,
    };

    public static LatencyMetrics Latency => new()
    {
        ModelId = "gpt-4o", RequestId = "r1", TotalLatencyMs = 812.5, TtftMs = 120,
        Breakdown = new LatencyBreakdown { QueueTimeMs = 1, ProcessingTimeMs = 800, NetworkTimeMs = 10, OtherMs = 1.5 },
    };

    public static TokenUsageMetrics TokenUsage => new()
    {
        ModelId = "gpt-4o", RequestId = "r1", PromptTokens = 100, CompletionTokens = 50, TotalTokens = 150,
    };

    public static TokenCostEvent TokenCost => new()
    {
        ModelId = "gpt-4o", RequestId = "r1", PromptTokens = 100, CompletionTokens = 50, TotalTokens = 150,
        CostPerPromptToken = 2.5e-6, CostPerCompletionToken = 1e-5, TotalCostUsd = 7.5e-4, Currency = "USD",
    };

    public static IEnumerable<EventPayload> AllPayloads()
    {
        yield return Latency;
        yield return new ThroughputMetrics { ModelId = "m", RequestsPerSecond = 10, TokensPerSecond = 500, ConcurrentRequests = 4, WindowDurationSeconds = 60 };
        yield return new ErrorRateMetrics
        {
            ModelId = "m", TotalRequests = 100, FailedRequests = 2, ErrorRatePercent = 2, WindowDurationSeconds = 60,
            ErrorBreakdown = new Dictionary<string, ulong> { ["timeout"] = 2 },
        };
        yield return TokenUsage;
        yield return new ModelPerformanceMetrics { ModelId = "m", Accuracy = 0.9, CustomMetrics = new Dictionary<string, double> { ["bleu"] = 0.4 } };
        yield return new ThreatEvent
        {
            ThreatId = "t1", ThreatType = ThreatType.PromptInjection, ThreatLevel = ThreatLevel.High, TargetResource = "chat",
            AttackVector = "prompt", MitigationStatus = MitigationStatus.Blocked, IndicatorsOfCompromise = ["ignore previous"],
        };
        yield return new VulnerabilityEvent
        {
            VulnerabilityId = "v1", SeverityScore = 7.5, AffectedComponent = "tokenizer", Description = "overflow",
            RemediationStatus = RemediationStatus.Identified,
        };
        yield return new ComplianceViolationEvent
        {
            ViolationId = "c1", Regulation = "GDPR", Requirement = "Art. 5", ViolationDescription = "retention",
            AffectedDataTypes = ["email"], RemediationRequired = true,
        };
        yield return new AuthEvent { UserId = "u1", Action = AuthAction.Login, Resource = "api", Success = true };
        yield return new PrivacyEvent
        {
            DataType = "email", Operation = PrivacyOperation.DataAccess, UserConsent = true, DataSubjects = ["u1"], Purpose = "support",
        };
        yield return TokenCost;
        yield return new ApiCostEvent
        {
            Provider = "openai", ApiEndpoint = "/v1/chat", RequestCount = 10, CostPerRequest = 0.01, TotalCostUsd = 0.1, BillingPeriod = "2026-11",
        };
        yield return new ResourceConsumptionEvent
        {
            ResourceType = ResourceType.Gpu, ResourceId = "gpu-1", Quantity = 2, Unit = "hours", CostUsd = 6, UtilizationPercent = 130,
        };
        yield return new BudgetAlertEvent
        {
            BudgetId = "b1", BudgetName = "ml", BudgetLimitUsd = 1000, CurrentSpendUsd = 810, ThresholdPercent = 80, AlertType = BudgetAlertType.Warning,
        };
        yield return new PolicyViolationEvent
        {
            PolicyId = "p1", PolicyName = "no-pii", ViolationDescription = "email in prompt", ViolatedRules = ["r1"], ResourceId = "chat",
            Severity = PolicyViolationSeverity.High, AutoRemediated = false,
        };
        yield return new AuditTrailEvent
        {
            Action = "deploy", Actor = "ci", ResourceType = "model", ResourceId = "gpt-4o",
            Changes = new Dictionary<string, JsonElement> { ["version"] = JsonDocument.Parse("\"2\"").RootElement },
        };
        yield return new ComplianceCheckEvent
        {
            CheckId = "k1", Framework = "SOC2", ControlsChecked = ["CC1"], Passed = true, Score = 0.5,
            Findings = [new ComplianceFinding { ControlId = "CC1", Status = ComplianceStatus.Pass, Description = "ok" }],
        };
        yield return new DataLineageEvent { DataAssetId = "d1", Operation = DataOperation.Transform, LineagePath = ["raw", "clean"] };
        yield return new CustomPayload { CustomType = "note", Data = JsonDocument.Parse("{\"x\":1}").RootElement };
    }
}
