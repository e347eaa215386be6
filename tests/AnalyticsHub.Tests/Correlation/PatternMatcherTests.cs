using AnalyticsHub.Correlation;
using AnalyticsHub.Correlation.Patterns;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>The pattern automaton on hand-built streams, the checks of the host's patterns, and a match reaching its incident.</summary>
public class PatternMatcherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);

    internal static Guid Id(int n) => new(n, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8);

    internal static AnalyticsEvent Latency(int id, double minute, double ms, string model = "gpt-4o") => new()
    {
        Common = new CommonEventFields
        {
            EventId = Id(id), Timestamp = T0.AddMinutes(minute), SourceModule = SourceModule.LlmObservatory, EventType = EventType.Telemetry,
            Severity = Severity.Info, Environment = "production", Tags = new Dictionary<string, string> { ["model_id"] = model },
        },
        Payload = new LatencyMetrics { ModelId = model, RequestId = "r" + id, TotalLatencyMs = ms },
    };

    internal static AnalyticsEvent Deploy(int id, double minute, string action = "deploy") => new()
    {
        Common = new CommonEventFields
        {
            EventId = Id(id), Timestamp = T0.AddMinutes(minute), SourceModule = SourceModule.LlmRegistry, EventType = EventType.Audit,
            Severity = Severity.Info, Environment = "production", Tags = new Dictionary<string, string> { ["model_id"] = "gpt-4o" },
        },
        Payload = new AuditTrailEvent { Action = action, Actor = "ci", ResourceType = "model_deployment", ResourceId = "gpt-4o" },
    };

    internal static PatternStep Step(uint number, SourceModule module, EventType type, long? offsetMs, params (string Name, string Condition)[] conditions) => new()
    {
        StepNumber = number, Module = module, EventType = type, TimeOffsetMs = offsetMs, Conditions = conditions.ToDictionary(c => c.Name, c => c.Condition),
    };

    /// <summary>A deploy, then within 5 minutes a request slower than 2 s, then within 10 minutes another one.</summary>
    internal static CorrelationPattern DeployThenSlow(string id = "deploy-then-slow") => new()
    {
        PatternId = id, Name = "Deploy, then slow requests", Description = "A deploy followed by two slow requests.",
        Modules = [SourceModule.LlmRegistry, SourceModule.LlmObservatory],
        Sequence =
        [
            Step(1, SourceModule.LlmRegistry, EventType.Audit, null, ("deploy", "action == \"deploy\"")),
            Step(2, SourceModule.LlmObservatory, EventType.Telemetry, 5 * 60_000, ("slow", "total_latency_ms > 2000")),
            Step(3, SourceModule.LlmObservatory, EventType.Telemetry, 10 * 60_000, ("slow", "total_latency_ms > 2000")),
        ],
    };

    private static List<PatternMatch> Match(IEnumerable<AnalyticsEvent> events, TimeSpan lateness, params CorrelationPattern[] patterns)
    {
        var problems = new List<Problem>();
        var matcher = new PatternMatcher(PatternCompiler.Compile(patterns, "Correlation.Patterns", problems), lateness);
        Assert.Empty(problems);
        var completed = new List<PatternMatch>();
        foreach (var evt in events)
        {
            matcher.Observe(evt, completed);
            matcher.Advance(completed);
        }

        matcher.Flush(completed);
        return completed;
    }

    [Fact]
    public void Match_ADeployThenTwoSlowRequestsWithinTheirOffsets_IsReportedAtTheLastStep()
    {
        var matches = Match([Deploy(1, 0), Latency(2, 1, 300), Latency(3, 4, 2_500), Latency(4, 6, 3_000), Latency(5, 30, 100)], TimeSpan.Zero, DeployThenSlow());

        var match = Assert.Single(matches);
        Assert.Equal([Id(1), Id(3), Id(4)], match.EventIds);
        Assert.Equal((T0.Ticks, T0.AddMinutes(6).Ticks), (match.StartTicks, match.EndTicks));
    }

    [Fact]
    public void Match_AStepLaterThanItsOffset_BreaksTheSequence()
    {
        // The first slow request is 6 minutes after the deploy (the bound is 5): nothing matches.
        Assert.Empty(Match([Deploy(1, 0), Latency(3, 6, 2_500), Latency(4, 7, 3_000)], TimeSpan.Zero, DeployThenSlow()));
    }

    [Fact]
    public void Match_EachCompletingEvent_ReportsOnce_BuiltFromTheLatestFittingEvents()
    {
        var matches = Match([Deploy(1, 0), Deploy(2, 1), Latency(3, 2, 2_500), Latency(4, 3, 2_600), Latency(5, 4, 2_700), Deploy(6, 5, "rollback")], TimeSpan.Zero, DeployThenSlow());

        // Event 4 completes (2, 3, 4); event 5 completes (2, 4, 5): step 2 keeps its latest event.
        Assert.Equal([[Id(2), Id(3), Id(4)], [Id(2), Id(4), Id(5)]], matches.Select(m => m.EventIds));
    }

    [Fact]
    public void Match_OutOfOrderWithinTheLateness_IsTheSameAsInOrder_AndLaterEventsAreSkipped()
    {
        var inOrder = Match([Deploy(1, 0), Latency(3, 4, 2_500), Latency(4, 6, 3_000)], TimeSpan.FromMinutes(10), DeployThenSlow());
        var shuffled = Match([Latency(4, 6, 3_000), Deploy(1, 0), Latency(3, 4, 2_500)], TimeSpan.FromMinutes(10), DeployThenSlow());
        var tooLate = Match([Latency(4, 6, 3_000), Latency(9, 20, 100), Deploy(1, 0), Latency(3, 4, 2_500)], TimeSpan.FromMinutes(10), DeployThenSlow());

        Assert.Equal(inOrder.Select(m => m.EventIds), shuffled.Select(m => m.EventIds));
        Assert.Single(inOrder);
        Assert.Empty(tooLate);
    }

    [Fact]
    public void Match_ADuplicateDelivery_ChangesNothing()
    {
        var events = new[] { Deploy(1, 0), Latency(3, 4, 2_500), Latency(4, 6, 3_000) };

        Assert.Equal(Match(events, TimeSpan.FromMinutes(1), DeployThenSlow()).Select(m => m.EventIds), Match([.. events, .. events], TimeSpan.FromMinutes(1), DeployThenSlow()).Select(m => m.EventIds));
    }

    [Fact]
    public void Compile_BadPatterns_AreRefusedWithACodeAndTheOptionPath()
    {
        var good = DeployThenSlow();
        CorrelationPattern[] patterns =
        [
            good,
            good with { Name = "again" },
            good with
            {
                PatternId = "bad",
                Modules = [SourceModule.LlmRegistry],
                Sequence =
                [
                    Step(1, SourceModule.LlmRegistry, EventType.Audit, 1_000, ("deploy", "action == ")),
                    Step(3, SourceModule.LlmObservatory, EventType.Telemetry, -5, ("slow", "total_latency_ms + 1"), ("nope", "no_such_field > 1")),
                ],
            },
            good with { PatternId = "empty", Name = " ", Sequence = [] },
        ];
        var problems = new List<Problem>();

        var compiled = PatternCompiler.Compile(patterns, "Correlation.Patterns", problems);

        Assert.Single(compiled);
        var found = problems.Select(p => (p.Code, p.Path)).ToList();
        Assert.Equal(
        [
            (ProblemCodes.DuplicateId, "Correlation.Patterns[1].PatternId"),
            (ProblemCodes.NumberOutOfRange, "Correlation.Patterns[2].Sequence[0].TimeOffsetMs"),
            (ProblemCodes.UnexpectedEnd, "Correlation.Patterns[2].Sequence[0].Conditions.deploy"),
            (ProblemCodes.NotOrdered, "Correlation.Patterns[2].Sequence[1].StepNumber"),
            (ProblemCodes.MissingField, "Correlation.Patterns[2].Modules"),
            (ProblemCodes.NumberOutOfRange, "Correlation.Patterns[2].Sequence[1].TimeOffsetMs"),
            (ProblemCodes.UnknownField, "Correlation.Patterns[2].Sequence[1].Conditions.nope"),
            (ProblemCodes.TypeMismatch, "Correlation.Patterns[2].Sequence[1].Conditions.slow"),
            (ProblemCodes.EmptyValue, "Correlation.Patterns[3].Name"),
            (ProblemCodes.EmptyValue, "Correlation.Patterns[3].Sequence"),
        ], found);
        Assert.Contains("Correlation.Patterns[2].Sequence[0].Conditions.deploy: unexpected_end at 1:", PatternCompiler.Describe(problems[2]), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ABadPattern_FailsValidationAtStart_WithItsPathAndCode()
    {
        var options = new AnalyticsHubOptions();
        options.Correlation.AddPattern(DeployThenSlow() with { Sequence = [Step(1, SourceModule.LlmRegistry, EventType.Audit, null, ("deploy", "action ==== 1"))] });

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("Correlation.Patterns[0].Sequence[0].Conditions.deploy: unexpected_token at 1:", problem, StringComparison.Ordinal);
    }
}
