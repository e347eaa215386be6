using AnalyticsHub.Events;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Events;

public class EventValidatorProperties
{
    private static readonly DateTimeOffset Now = SampleEvents.Now;
    private static readonly EventValidator Validator = new(timeProvider: new FakeTimeProvider(Now));

    /// <summary>Generated events made valid: the generators roam the whole wire range, the validator does not.</summary>
    public static Gen<AnalyticsEvent> ValidEvent { get; } = EventGenerators.AnyEvent.Select(ValidEvents.Repair);

    /// <summary>One corruption of one field, with the code and path the validator must report.</summary>
    public sealed record Corruption(string Name, Func<AnalyticsEvent, AnalyticsEvent> Apply, string Code, string Path, ProblemSeverity Severity = ProblemSeverity.Error);

    private static IEnumerable<Corruption> CorruptionsOf(AnalyticsEvent evt)
    {
        yield return new("environment empty", e => e with { Common = e.Common with { Environment = "" } }, ProblemCodes.EmptyValue, "environment");
        yield return new("schema 2.x", e => e with { Common = e.Common with { SchemaVersion = "2.0.0" } }, ProblemCodes.UnsupportedSchemaVersion, "schema_version");
        yield return new("future", e => e with { Common = e.Common with { Timestamp = Now.AddHours(1) } }, ProblemCodes.TimestampInFuture, "timestamp");
        yield return new("tag too long", e => e with { Common = e.Common with { Tags = new Dictionary<string, string> { ["k"] = new string('v', 1025) } } }, ProblemCodes.TagValueTooLong, "tags.k");
        if (evt.Payload.PayloadType != PayloadType.Custom)
        {
            var wrong = evt.Payload.PayloadType == PayloadType.Telemetry ? EventType.Cost : EventType.Telemetry;
            yield return new("event type", e => e with { Common = e.Common with { EventType = wrong } }, ProblemCodes.EventTypeMismatch, "event_type");
        }

        const string D = "payload.data.";
        switch (evt.Payload)
        {
            case LatencyMetrics:
                yield return new("latency < 0", e => Pay(e, (LatencyMetrics p) => p with { TotalLatencyMs = -1 }), ProblemCodes.NegativeValue, D + "total_latency_ms");
                yield return new("latency NaN", e => Pay(e, (LatencyMetrics p) => p with { TtftMs = double.NaN }), ProblemCodes.NonFiniteNumber, D + "ttft_ms");
                yield return new("request id", e => Pay(e, (LatencyMetrics p) => p with { RequestId = "" }), ProblemCodes.EmptyValue, D + "request_id");
                break;
            case ThroughputMetrics:
                yield return new("rps < 0", e => Pay(e, (ThroughputMetrics p) => p with { RequestsPerSecond = -0.5 }), ProblemCodes.NegativeValue, D + "requests_per_second");
                break;
            case ErrorRateMetrics:
                yield return new("rate > 100", e => Pay(e, (ErrorRateMetrics p) => p with { ErrorRatePercent = 100.5 }), ProblemCodes.PercentOutOfRange, D + "error_rate_percent");
                break;
            case TokenUsageMetrics:
                yield return new("total", e => Pay(e, (TokenUsageMetrics p) => p with { TotalTokens = unchecked(p.TotalTokens + 1) }), ProblemCodes.TokenTotalMismatch, D + "total_tokens", ProblemSeverity.Warning);
                break;
            case ModelPerformanceMetrics:
                yield return new("accuracy inf", e => Pay(e, (ModelPerformanceMetrics p) => p with { Accuracy = double.PositiveInfinity }), ProblemCodes.NonFiniteNumber, D + "accuracy");
                break;
            case ThreatEvent:
                yield return new("threat id", e => Pay(e, (ThreatEvent p) => p with { ThreatId = "" }), ProblemCodes.EmptyValue, D + "threat_id");
                break;
            case VulnerabilityEvent:
                yield return new("score 11", e => Pay(e, (VulnerabilityEvent p) => p with { SeverityScore = 11 }), ProblemCodes.SeverityScoreOutOfRange, D + "severity_score", ProblemSeverity.Warning);
                break;
            case ComplianceViolationEvent:
                yield return new("regulation", e => Pay(e, (ComplianceViolationEvent p) => p with { Regulation = "" }), ProblemCodes.EmptyValue, D + "regulation");
                break;
            case AuthEvent:
                yield return new("user", e => Pay(e, (AuthEvent p) => p with { UserId = "" }), ProblemCodes.EmptyValue, D + "user_id");
                break;
            case PrivacyEvent:
                yield return new("purpose", e => Pay(e, (PrivacyEvent p) => p with { Purpose = "" }), ProblemCodes.EmptyValue, D + "purpose");
                break;
            case TokenCostEvent:
                yield return new("cost < 0", e => Pay(e, (TokenCostEvent p) => p with { TotalCostUsd = -0.01 }), ProblemCodes.NegativeValue, D + "total_cost_usd");
                yield return new("total", e => Pay(e, (TokenCostEvent p) => p with { TotalTokens = unchecked(p.TotalTokens + 1) }), ProblemCodes.TokenTotalMismatch, D + "total_tokens", ProblemSeverity.Warning);
                break;
            case ApiCostEvent:
                yield return new("per request < 0", e => Pay(e, (ApiCostEvent p) => p with { CostPerRequest = -1 }), ProblemCodes.NegativeValue, D + "cost_per_request");
                break;
            case ResourceConsumptionEvent:
                yield return new("utilization < 0", e => Pay(e, (ResourceConsumptionEvent p) => p with { UtilizationPercent = -1 }), ProblemCodes.NegativeValue, D + "utilization_percent");
                break;
            case BudgetAlertEvent:
                yield return new("spend < 0", e => Pay(e, (BudgetAlertEvent p) => p with { CurrentSpendUsd = -1 }), ProblemCodes.NegativeValue, D + "current_spend_usd");
                break;
            case PolicyViolationEvent:
                yield return new("policy id", e => Pay(e, (PolicyViolationEvent p) => p with { PolicyId = "" }), ProblemCodes.EmptyValue, D + "policy_id");
                break;
            case AuditTrailEvent:
                yield return new("actor", e => Pay(e, (AuditTrailEvent p) => p with { Actor = "" }), ProblemCodes.EmptyValue, D + "actor");
                break;
            case ComplianceCheckEvent:
                yield return new("score", e => Pay(e, (ComplianceCheckEvent p) => p with { Score = -3 }), ProblemCodes.PercentOutOfRange, D + "score");
                break;
            case DataLineageEvent:
                yield return new("asset", e => Pay(e, (DataLineageEvent p) => p with { DataAssetId = "" }), ProblemCodes.EmptyValue, D + "data_asset_id");
                break;
            case CustomPayload:
                yield return new("custom type", e => Pay(e, (CustomPayload p) => p with { CustomType = "" }), ProblemCodes.EmptyValue, D + "custom_type");
                break;
        }
    }

    private static AnalyticsEvent Pay<T>(AnalyticsEvent evt, Func<T, T> change)
        where T : EventPayload => evt with { Payload = change((T)evt.Payload) };

    [Property(MaxTest = 300)]
    public Property Validate_AnyValidEvent_HasNoProblems() =>
        Prop.ForAll(ValidEvent.ToArbitrary(), evt => Validator.Validate(evt).Count == 0);

    [Property(MaxTest = 300)]
    public Property Validate_SingleFieldCorruption_ReportsExactlyThatCodeAtThatPath()
    {
        var cases =
            from evt in ValidEvent
            from index in Gen.Choose(0, 100)
            select (evt, CorruptionsOf(evt).ToArray() is var all ? all[index % all.Length] : null!);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (evt, corruption) = c;
            var problems = Validator.Validate(corruption.Apply(evt));
            var problem = Assert.Single(problems);
            Assert.Equal(corruption.Code, problem.Code);
            Assert.Equal(corruption.Path, problem.Path);
            Assert.Equal(corruption.Severity, problem.Severity);
        });
    }
}
