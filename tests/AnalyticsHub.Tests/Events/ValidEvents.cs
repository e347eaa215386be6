using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Events;

/// <summary>Turns any generated event into one the validator accepts, changing as little as possible.</summary>
internal static class ValidEvents
{
    public static AnalyticsEvent Repair(AnalyticsEvent evt)
    {
        var common = evt.Common;
        var type = evt.Payload is CustomPayload || common.EventType is EventType.Alert or EventType.Audit or EventType.Lifecycle
            ? common.EventType
            : AnalyticsEventFactory.DefaultEventType(evt.Payload);
        var tags = common.Tags
            .Where(t => t.Key.Length is > 0 and <= 128)
            .Take(64)
            .ToDictionary(t => t.Key, t => t.Value.Length <= 1024 ? t.Value : t.Value[..1024], StringComparer.Ordinal);

        return new AnalyticsEvent
        {
            Common = common with
            {
                EventType = type,
                Timestamp = common.Timestamp > SampleEvents.Now ? SampleEvents.Now : common.Timestamp,
                Environment = Text(common.Environment),
                Tags = tags,
            },
            Payload = Repair(evt.Payload),
        };
    }

    private static string Text(string value) => value.Length == 0 ? "x" : value;

    private static double Positive(double value) => Math.Abs(value);

    private static double? Positive(double? value) => value is { } v ? Math.Abs(v) : null;

    private static double Percent(double value) => Math.Abs(value) % 100;

    private static uint Total(uint prompt, uint completion) => prompt + completion;

    private static EventPayload Repair(EventPayload payload) => payload switch
    {
        LatencyMetrics p => p with
        {
            ModelId = Text(p.ModelId), RequestId = Text(p.RequestId), TotalLatencyMs = Positive(p.TotalLatencyMs),
            TtftMs = Positive(p.TtftMs), TokensPerSecond = Positive(p.TokensPerSecond),
            Breakdown = p.Breakdown is { } b
                ? new LatencyBreakdown
                {
                    QueueTimeMs = Positive(b.QueueTimeMs), ProcessingTimeMs = Positive(b.ProcessingTimeMs),
                    NetworkTimeMs = Positive(b.NetworkTimeMs), OtherMs = Positive(b.OtherMs),
                }
                : null,
        },
        ThroughputMetrics p => p with { ModelId = Text(p.ModelId), RequestsPerSecond = Positive(p.RequestsPerSecond), TokensPerSecond = Positive(p.TokensPerSecond) },
        ErrorRateMetrics p => p with { ModelId = Text(p.ModelId), ErrorRatePercent = Percent(p.ErrorRatePercent) },
        TokenUsageMetrics p => p with
        {
            ModelId = Text(p.ModelId), RequestId = Text(p.RequestId), PromptTokens = p.PromptTokens / 2, CompletionTokens = p.CompletionTokens / 2,
            TotalTokens = Total(p.PromptTokens / 2, p.CompletionTokens / 2),
        },
        ModelPerformanceMetrics p => p with { ModelId = Text(p.ModelId) },
        ThreatEvent p => p with
        {
            ThreatId = Text(p.ThreatId), TargetResource = Text(p.TargetResource), AttackVector = Text(p.AttackVector),
            ThreatType = p.ThreatType.Category == ThreatCategory.Other ? ThreatType.Other(Text(p.ThreatType.OtherName!)) : p.ThreatType,
        },
        VulnerabilityEvent p => p with
        {
            VulnerabilityId = Text(p.VulnerabilityId), AffectedComponent = Text(p.AffectedComponent), Description = Text(p.Description),
            SeverityScore = Math.Abs(p.SeverityScore) % 10,
        },
        ComplianceViolationEvent p => p with
        {
            ViolationId = Text(p.ViolationId), Regulation = Text(p.Regulation), Requirement = Text(p.Requirement),
            ViolationDescription = Text(p.ViolationDescription),
        },
        AuthEvent p => p with { UserId = Text(p.UserId), Resource = Text(p.Resource) },
        PrivacyEvent p => p with { DataType = Text(p.DataType), Purpose = Text(p.Purpose) },
        TokenCostEvent p => p with
        {
            ModelId = Text(p.ModelId), RequestId = Text(p.RequestId), Currency = Text(p.Currency),
            PromptTokens = p.PromptTokens / 2, CompletionTokens = p.CompletionTokens / 2, TotalTokens = Total(p.PromptTokens / 2, p.CompletionTokens / 2),
            CostPerPromptToken = Positive(p.CostPerPromptToken), CostPerCompletionToken = Positive(p.CostPerCompletionToken),
            TotalCostUsd = Positive(p.TotalCostUsd), CachedInputCostUsd = Positive(p.CachedInputCostUsd),
            CacheCreationCostUsd = Positive(p.CacheCreationCostUsd), ReasoningCostUsd = Positive(p.ReasoningCostUsd),
        },
        ApiCostEvent p => p with
        {
            Provider = Text(p.Provider), ApiEndpoint = Text(p.ApiEndpoint), BillingPeriod = Text(p.BillingPeriod),
            CostPerRequest = Positive(p.CostPerRequest), TotalCostUsd = Positive(p.TotalCostUsd),
        },
        ResourceConsumptionEvent p => p with
        {
            ResourceId = Text(p.ResourceId), Unit = Text(p.Unit), Quantity = Positive(p.Quantity), CostUsd = Positive(p.CostUsd),
            UtilizationPercent = Positive(p.UtilizationPercent),
            ResourceType = p.ResourceType.Category == ResourceCategory.Other ? ResourceType.Other(Text(p.ResourceType.OtherName!)) : p.ResourceType,
        },
        BudgetAlertEvent p => p with
        {
            BudgetId = Text(p.BudgetId), BudgetName = Text(p.BudgetName), BudgetLimitUsd = Positive(p.BudgetLimitUsd),
            CurrentSpendUsd = Positive(p.CurrentSpendUsd), ThresholdPercent = Positive(p.ThresholdPercent),
        },
        PolicyViolationEvent p => p with
        {
            PolicyId = Text(p.PolicyId), PolicyName = Text(p.PolicyName), ViolationDescription = Text(p.ViolationDescription), ResourceId = Text(p.ResourceId),
        },
        AuditTrailEvent p => p with { Action = Text(p.Action), Actor = Text(p.Actor), ResourceType = Text(p.ResourceType), ResourceId = Text(p.ResourceId) },
        ComplianceCheckEvent p => p with
        {
            CheckId = Text(p.CheckId), Framework = Text(p.Framework), Score = Percent(p.Score),
            Findings = p.Findings.Select(f => f with { ControlId = Text(f.ControlId), Description = Text(f.Description) }).ToList(),
        },
        DataLineageEvent p => p with { DataAssetId = Text(p.DataAssetId) },
        CustomPayload p => p with { CustomType = Text(p.CustomType) },
        _ => payload,
    };
}
