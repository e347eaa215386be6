using AnalyticsHub.Events;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Events;

public class EventValidatorTests
{
    private readonly EventValidator _validator = new(timeProvider: new FakeTimeProvider(SampleEvents.Now));

    public static TheoryData<EventPayload> Payloads()
    {
        var data = new TheoryData<EventPayload>();
        foreach (var payload in SampleEvents.AllPayloads())
        {
            data.Add(payload);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Validate_ValidEventOfEveryVariant_HasNoProblems(EventPayload payload)
    {
        Assert.Empty(_validator.Validate(SampleEvents.Event(payload)));
    }

    private Problem Single(AnalyticsEvent evt)
    {
        var problems = _validator.Validate(evt);
        return Assert.Single(problems);
    }

    private static void AssertProblem(Problem problem, string code, ProblemSeverity severity, string path)
    {
        Assert.Equal(code, problem.Code);
        Assert.Equal(severity, problem.Severity);
        Assert.Equal(path, problem.Path);
    }

    [Theory]
    [InlineData(EventType.Cost)]
    [InlineData(EventType.Security)]
    [InlineData(EventType.Governance)]
    public void Validate_EventTypeDisagreesWithPayload_ReportsMismatch(EventType type)
    {
        var problem = Single(SampleEvents.Event(SampleEvents.Latency, type));
        AssertProblem(problem, ProblemCodes.EventTypeMismatch, ProblemSeverity.Error, "event_type");
    }

    [Theory]
    [InlineData(EventType.Alert)]
    [InlineData(EventType.Audit)]
    [InlineData(EventType.Lifecycle)]
    public void Validate_GenericEventTypeWithModulePayload_IsAccepted(EventType type)
    {
        Assert.Empty(_validator.Validate(SampleEvents.Event(SampleEvents.Latency, type)));
    }

    [Fact]
    public void Validate_CustomPayloadWithAnyEventType_IsAccepted()
    {
        var custom = SampleEvents.AllPayloads().OfType<CustomPayload>().Single();
        foreach (var type in Enum.GetValues<EventType>())
        {
            Assert.Empty(_validator.Validate(SampleEvents.Event(custom, type)));
        }
    }

    [Fact]
    public void Validate_NonFiniteLatency_ReportsNonFinite()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency with { TotalLatencyMs = double.NaN });
        AssertProblem(Single(evt), ProblemCodes.NonFiniteNumber, ProblemSeverity.Error, "payload.data.total_latency_ms");
    }

    [Fact]
    public void Validate_InfiniteCustomMetric_ReportsNonFiniteAtMapKey()
    {
        var evt = SampleEvents.Event(new ModelPerformanceMetrics
        {
            ModelId = "m", CustomMetrics = new Dictionary<string, double> { ["bleu"] = double.PositiveInfinity },
        });
        AssertProblem(Single(evt), ProblemCodes.NonFiniteNumber, ProblemSeverity.Error, "payload.data.custom_metrics.bleu");
    }

    [Fact]
    public void Validate_NegativeLatency_ReportsNegativeValue()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency with { TotalLatencyMs = -1 });
        AssertProblem(Single(evt), ProblemCodes.NegativeValue, ProblemSeverity.Error, "payload.data.total_latency_ms");
    }

    [Fact]
    public void Validate_NegativeBreakdownPart_ReportsNestedPath()
    {
        var latency = SampleEvents.Latency;
        var evt = SampleEvents.Event(latency with { Breakdown = latency.Breakdown! with { NetworkTimeMs = -0.5 } });
        AssertProblem(Single(evt), ProblemCodes.NegativeValue, ProblemSeverity.Error, "payload.data.breakdown.network_time_ms");
    }

    [Fact]
    public void Validate_NegativeCost_ReportsNegativeValue()
    {
        var evt = SampleEvents.Event(SampleEvents.TokenCost with { TotalCostUsd = -0.01 });
        AssertProblem(Single(evt), ProblemCodes.NegativeValue, ProblemSeverity.Error, "payload.data.total_cost_usd");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.01)]
    public void Validate_ErrorRateOutside0To100_ReportsPercentOutOfRange(double percent)
    {
        var evt = SampleEvents.Event(new ErrorRateMetrics
        {
            ModelId = "m", TotalRequests = 10, FailedRequests = 1, ErrorRatePercent = percent, WindowDurationSeconds = 60,
        });
        AssertProblem(Single(evt), ProblemCodes.PercentOutOfRange, ProblemSeverity.Error, "payload.data.error_rate_percent");
    }

    [Fact]
    public void Validate_ComplianceScoreAbove100_ReportsPercentOutOfRange()
    {
        var evt = SampleEvents.Event(new ComplianceCheckEvent { CheckId = "k", Framework = "SOC2", Passed = true, Score = 101 });
        AssertProblem(Single(evt), ProblemCodes.PercentOutOfRange, ProblemSeverity.Error, "payload.data.score");
    }

    [Fact]
    public void Validate_UtilizationAndThresholdAbove100_AreAccepted()
    {
        var resource = new ResourceConsumptionEvent
        {
            ResourceType = ResourceType.Compute, ResourceId = "r", Quantity = 1, Unit = "h", CostUsd = 1, UtilizationPercent = 250,
        };
        var budget = new BudgetAlertEvent
        {
            BudgetId = "b", BudgetName = "b", BudgetLimitUsd = 10, CurrentSpendUsd = 15, ThresholdPercent = 150, AlertType = BudgetAlertType.Exceeded,
        };
        Assert.Empty(_validator.Validate(SampleEvents.Event(resource)));
        Assert.Empty(_validator.Validate(SampleEvents.Event(budget)));
    }

    [Fact]
    public void Validate_NegativeUtilization_ReportsNegativeValue()
    {
        var evt = SampleEvents.Event(new ResourceConsumptionEvent
        {
            ResourceType = ResourceType.Compute, ResourceId = "r", Quantity = 1, Unit = "h", CostUsd = 1, UtilizationPercent = -5,
        });
        AssertProblem(Single(evt), ProblemCodes.NegativeValue, ProblemSeverity.Error, "payload.data.utilization_percent");
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(10.5)]
    public void Validate_SeverityScoreOutside0To10_WarnsAndAccepts(double score)
    {
        var evt = SampleEvents.Event(new VulnerabilityEvent
        {
            VulnerabilityId = "v", SeverityScore = score, AffectedComponent = "c", Description = "d", RemediationStatus = RemediationStatus.Patched,
        });
        AssertProblem(Single(evt), ProblemCodes.SeverityScoreOutOfRange, ProblemSeverity.Warning, "payload.data.severity_score");
    }

    [Fact]
    public void Validate_TokenTotalMismatch_WarnsOnUsageAndCost()
    {
        AssertProblem(Single(SampleEvents.Event(SampleEvents.TokenUsage with { TotalTokens = 151 })),
            ProblemCodes.TokenTotalMismatch, ProblemSeverity.Warning, "payload.data.total_tokens");
        AssertProblem(Single(SampleEvents.Event(SampleEvents.TokenCost with { TotalTokens = 149 })),
            ProblemCodes.TokenTotalMismatch, ProblemSeverity.Warning, "payload.data.total_tokens");
    }

    [Fact]
    public void Validate_TokenTotalsThatOverflowUInt32_AreComparedExactly()
    {
        var usage = SampleEvents.TokenUsage with { PromptTokens = uint.MaxValue, CompletionTokens = 1, TotalTokens = 0 };
        AssertProblem(Single(SampleEvents.Event(usage)), ProblemCodes.TokenTotalMismatch, ProblemSeverity.Warning, "payload.data.total_tokens");
    }

    [Fact]
    public void Validate_TimestampBeyondFutureSkew_ReportsTimestampInFuture()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        var late = evt with { Common = evt.Common with { Timestamp = SampleEvents.Now.AddMinutes(5).AddTicks(1) } };
        AssertProblem(Single(late), ProblemCodes.TimestampInFuture, ProblemSeverity.Error, "timestamp");
    }

    [Fact]
    public void Validate_TimestampExactlyAtFutureSkew_IsAccepted()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        Assert.Empty(_validator.Validate(evt with { Common = evt.Common with { Timestamp = SampleEvents.Now.AddMinutes(5) } }));
    }

    [Fact]
    public void Validate_ConfiguredSkew_IsHonoured()
    {
        var validator = new EventValidator(new EventValidationOptions { MaxFutureSkew = TimeSpan.Zero }, new FakeTimeProvider(SampleEvents.Now));
        var evt = SampleEvents.Event(SampleEvents.Latency);
        var problems = validator.Validate(evt with { Common = evt.Common with { Timestamp = SampleEvents.Now.AddSeconds(1) } });
        Assert.Equal(ProblemCodes.TimestampInFuture, Assert.Single(problems).Code);
    }

    [Fact]
    public void Validate_TooManyTags_ReportsTooManyTags()
    {
        var tags = Enumerable.Range(0, 65).ToDictionary(i => "k" + i, i => "v");
        var evt = SampleEvents.Event(SampleEvents.Latency);
        AssertProblem(Single(evt with { Common = evt.Common with { Tags = tags } }), ProblemCodes.TooManyTags, ProblemSeverity.Error, "tags");
    }

    [Fact]
    public void Validate_TagKeyTooLongOrEmpty_ReportsTagKeyInvalid()
    {
        var key = new string('k', 129);
        var evt = SampleEvents.Event(SampleEvents.Latency);
        var problems = _validator.Validate(evt with { Common = evt.Common with { Tags = new Dictionary<string, string> { [key] = "v", [""] = "v" } } });
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal(ProblemCodes.TagKeyInvalid, p.Code));
        Assert.Contains(problems, p => p.Path == "tags." + key);
        Assert.Contains(problems, p => p.Path == "tags.");
    }

    [Fact]
    public void Validate_TagKeyAtLimit_IsAccepted()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        var tags = new Dictionary<string, string> { [new string('k', 128)] = new string('v', 1024) };
        Assert.Empty(_validator.Validate(evt with { Common = evt.Common with { Tags = tags } }));
    }

    [Fact]
    public void Validate_TagValueTooLong_ReportsTagValueTooLong()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        var tags = new Dictionary<string, string> { ["team"] = new string('v', 1025) };
        AssertProblem(Single(evt with { Common = evt.Common with { Tags = tags } }), ProblemCodes.TagValueTooLong, ProblemSeverity.Error, "tags.team");
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("")]
    [InlineData("1.0")]
    [InlineData("1.x.0")]
    public void Validate_UnsupportedSchemaVersion_IsRejected(string version)
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        var problem = Single(evt with { Common = evt.Common with { SchemaVersion = version } });
        AssertProblem(problem, ProblemCodes.UnsupportedSchemaVersion, ProblemSeverity.Error, "schema_version");
        Assert.Contains("1.x.y", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MinorSchemaVersion_IsAccepted()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        Assert.Empty(_validator.Validate(evt with { Common = evt.Common with { SchemaVersion = "1.12.3" } }));
    }

    [Fact]
    public void Validate_EmptyRequiredStrings_ReportEmptyValueEachAtItsPath()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency with { ModelId = "", RequestId = "" });
        var problems = _validator.Validate(evt with { Common = evt.Common with { Environment = "" } });
        Assert.Equal(
            ["environment", "payload.data.model_id", "payload.data.request_id"],
            problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.Equal(ProblemCodes.EmptyValue, p.Code));
    }

    [Fact]
    public void Validate_EmptyFindingControl_ReportsIndexedPath()
    {
        var evt = SampleEvents.Event(new ComplianceCheckEvent
        {
            CheckId = "k", Framework = "SOC2", Passed = false, Score = 50,
            Findings =
            [
                new ComplianceFinding { ControlId = "CC1", Status = ComplianceStatus.Pass, Description = "ok" },
                new ComplianceFinding { ControlId = "", Status = ComplianceStatus.Fail, Description = "bad" },
            ],
        });
        AssertProblem(Single(evt), ProblemCodes.EmptyValue, ProblemSeverity.Error, "payload.data.findings[1].control_id");
    }

    [Fact]
    public void Validate_UndefinedEnumValue_ReportsInvalidEnumValue()
    {
        var evt = SampleEvents.Event(SampleEvents.Latency);
        AssertProblem(Single(evt with { Common = evt.Common with { Severity = (Severity)42 } }),
            ProblemCodes.InvalidEnumValue, ProblemSeverity.Error, "severity");
    }

    [Fact]
    public void Validate_SeveralProblems_AreAllReturned()
    {
        var evt = SampleEvents.Event(SampleEvents.TokenCost with { TotalCostUsd = -1, TotalTokens = 1, Currency = "" }, EventType.Telemetry);
        var codes = _validator.Validate(evt).Select(p => p.Code).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            [ProblemCodes.EmptyValue, ProblemCodes.EventTypeMismatch, ProblemCodes.NegativeValue, ProblemCodes.TokenTotalMismatch],
            codes);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new EventValidationOptions { MaxEventBytes = 1, MaxTags = -1, MaxTagKeyLength = 0, MaxFutureSkew = TimeSpan.FromSeconds(-1) };
        var ex = Assert.Throws<ArgumentException>(() => new EventValidator(options));
        Assert.Contains("MaxEventBytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTags", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTagKeyLength", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFutureSkew", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, options.Validate().Count);
    }
}
