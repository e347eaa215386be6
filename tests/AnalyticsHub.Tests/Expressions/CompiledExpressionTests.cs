using AnalyticsHub.Events;
using AnalyticsHub.Expressions;

namespace AnalyticsHub.Tests.Expressions;

public class CompiledExpressionTests
{
    private static CompiledExpression Compile(string text, CompileOptions? options = null) =>
        CompiledExpression.Compile(text, options).GetValueOrThrow();

    /// <summary>Evaluates with both evaluators, asserts they agree, and returns the value.</summary>
    private static Value Eval(string text, AnalyticsEvent? evt = null, IVariableSource? vars = null)
    {
        var compiled = Compile(text, new CompileOptions { Variables = vars });
        var value = compiled.Evaluate(evt, vars);
        Assert.Equal(compiled.Source.Interpret(evt, vars), value);
        return value;
    }

    private static Problem CompileError(string text, CompileOptions? options = null)
    {
        var result = CompiledExpression.Compile(text, options);
        Assert.False(result.Succeeded, $"'{text}' should not compile");
        return result.Errors[0];
    }

    [Theory]
    [InlineData("severity >= \"warning\"", true)]
    [InlineData("severity > \"warning\"", false)]
    [InlineData("severity < \"ERROR\"", true)]
    [InlineData("\"info\" < severity", true)]
    [InlineData("severity == \"Warning\"", true)]
    [InlineData("severity != \"warning\"", false)]
    [InlineData("severity in [\"error\", \"critical\"]", false)]
    [InlineData("source_module == \"llm-cost-ops\"", true)]
    [InlineData("source_module == \"llm-costops\"", true)]
    [InlineData("source_module in [\"llm-cost-ops\", \"llm-observatory\"]", true)]
    [InlineData("event_type == \"cost\"", true)]
    [InlineData("payload.payload_type == \"cost\"", true)]
    [InlineData("payload.data.cost_type == \"token_cost\"", true)]
    [InlineData("payload.data.total_cost_usd > 0.5", true)]
    [InlineData("total_cost_usd > 0.5 && total_cost_usd < 1", true)]
    [InlineData("tags.team == \"ml\" && tags.region != \"us\"", true)]
    [InlineData("tags[\"cost-center\"] == \"42\"", true)]
    [InlineData("environment == \"production\"", true)]
    [InlineData("payload.data.model_id == \"gpt-4o\"", true)]
    [InlineData("timestamp == 1705314600", true)]
    [InlineData("payload.subtype == \"token_cost\"", true)]
    public void EvaluateCondition_CostEvent_MatchesExpected(string condition, bool expected)
    {
        var evt = TestEvents.CostEvent();
        Assert.Equal(expected, Compile(condition).EvaluateCondition(evt));
        Assert.Equal(expected, Eval(condition, evt).IsTrue);
    }

    [Fact]
    public void Evaluate_Arithmetic_FollowsPrecedence()
    {
        Assert.Equal(7.0, Eval("1 + 2 * 3").Number);
        Assert.Equal(9.0, Eval("(1 + 2) * 3").Number);
        Assert.Equal(-4.0, Eval("-(1 + 3)").Number);
        Assert.Equal(1.0, Eval("10 % 3").Number);
        Assert.Equal(-4.0, Eval("-2 * 2").Number);
        Assert.True(Eval("1 + 2 * 3 == 7").IsTrue);
    }

    [Fact]
    public void Evaluate_DivisionByZero_IsNull()
    {
        Assert.True(Eval("1 / 0").IsNull);
        Assert.True(Eval("1 % 0").IsNull);
        Assert.True(Eval("(1 / 0) == null").IsTrue);
        Assert.False(Eval("1 / 0 > 0").IsTrue);
    }

    [Fact]
    public void Evaluate_NonFiniteResults_AreNull()
    {
        Assert.True(Eval("1e308 * 10").IsNull);
        Assert.True(Eval("sqrt(-1)").IsNull);
        Assert.True(Eval("log(0)").IsNull);
    }

    [Fact]
    public void Evaluate_Functions_Compute()
    {
        Assert.Equal(1.0, Eval("min(3, 1, 2)").Number);
        Assert.Equal(3.0, Eval("max(3, 1, 2)").Number);
        Assert.Equal(2.5, Eval("abs(-2.5)").Number);
        Assert.Equal(3.0, Eval("sqrt(9)").Number);
        Assert.Equal(1.0, Eval("log(2.718281828459045)").Number, 12);
        Assert.Equal(5.0, Eval("coalesce(null, 5, 6)").Number);
        Assert.True(Eval("coalesce(null, null)").IsNull);
        Assert.True(Eval("max(1, null)").IsNull);
    }

    [Fact]
    public void Evaluate_MissingFields_FollowNullSemantics()
    {
        var latency = TestEvents.Create(TestEvents.Latency(ttft: null), tags: new Dictionary<string, string>());
        Assert.True(Eval("payload.data.total_cost_usd", latency).IsNull);
        Assert.True(Eval("payload.data.ttft_ms", latency).IsNull);
        Assert.True(Eval("payload.data.ttft_ms + 1", latency).IsNull);
        Assert.False(Eval("payload.data.ttft_ms > 0", latency).IsTrue);
        Assert.False(Eval("payload.data.ttft_ms <= 0", latency).IsTrue);
        Assert.True(Eval("payload.data.ttft_ms == null", latency).IsTrue);
        Assert.False(Eval("payload.data.ttft_ms != null", latency).IsTrue);
        Assert.True(Eval("tags.team == null", latency).IsTrue);
        Assert.False(Eval("tags.team == \"ml\"", latency).IsTrue);
        Assert.True(Eval("tags.team != \"ml\"", latency).IsTrue);
        Assert.False(Eval("tags.team in [\"ml\", \"infra\"]", latency).IsTrue);
        Assert.True(Eval("tags.team in [\"ml\", null]", latency).IsTrue);
    }

    [Fact]
    public void Evaluate_NullInLogic_IsFalse()
    {
        var vars = new VariableSet("flag");
        Assert.False(Eval("flag && true", vars: vars).IsTrue);
        Assert.True(Eval("flag || true", vars: vars).IsTrue);
        Assert.True(Eval("!flag", vars: vars).IsTrue);
        Assert.Equal(ValueKind.Boolean, Eval("flag || false", vars: vars).Kind);
    }

    [Fact]
    public void Evaluate_RuntimeTypeMismatch_IsNullOrFalseNeverThrows()
    {
        var vars = new VariableSet("s", "n", "b");
        vars["s"] = Value.FromString("text");
        vars["n"] = Value.FromNumber(2);
        vars["b"] = Value.True;
        Assert.True(Eval("s + 1", vars: vars).IsNull);
        Assert.True(Eval("-s", vars: vars).IsNull);
        Assert.False(Eval("s == 2", vars: vars).IsTrue);
        Assert.True(Eval("s != 2", vars: vars).IsTrue);
        Assert.False(Eval("s > 1", vars: vars).IsTrue);
        Assert.False(Eval("b < n", vars: vars).IsTrue);
        Assert.False(Eval("n && true", vars: vars).IsTrue);
        Assert.True(Eval("abs(s) == null", vars: vars).IsTrue);
        Assert.False(Eval("severity >= s", TestEvents.CostEvent(), vars).IsTrue);
    }

    [Fact]
    public void Evaluate_StringsCompareOrdinally()
    {
        Assert.True(Eval("\"a\" < \"b\"").IsTrue);
        Assert.True(Eval("\"B\" < \"a\"").IsTrue);
        Assert.False(Eval("\"ml\" == \"ML\"").IsTrue);
    }

    [Theory]
    [InlineData(Severity.Debug, false)]
    [InlineData(Severity.Info, false)]
    [InlineData(Severity.Warning, true)]
    [InlineData(Severity.Error, true)]
    [InlineData(Severity.Critical, true)]
    public void EvaluateCondition_SeverityAtLeastWarning_FollowsOrder(Severity severity, bool expected) =>
        Assert.Equal(expected, Eval("severity >= \"warning\"", TestEvents.CostEvent(severity: severity)).IsTrue);

    [Theory]
    [InlineData(ThreatLevel.Low, false)]
    [InlineData(ThreatLevel.Medium, false)]
    [InlineData(ThreatLevel.High, true)]
    [InlineData(ThreatLevel.Critical, true)]
    public void EvaluateCondition_ThreatLevelAtLeastHigh_FollowsOrder(ThreatLevel level, bool expected)
    {
        var evt = TestEvents.Create(TestEvents.Threat(level), module: SourceModule.LlmSentinel);
        Assert.Equal(expected, Eval("payload.data.threat_level >= \"high\"", evt).IsTrue);
        Assert.Equal(expected, Compile("threat_level > \"MEDIUM\"", new CompileOptions { PayloadKind = "threat" }).EvaluateCondition(evt));
    }

    [Theory]
    [InlineData(PolicyViolationSeverity.Low, false)]
    [InlineData(PolicyViolationSeverity.High, true)]
    public void EvaluateCondition_PolicyViolationSeverity_IsItsOwnOrderedEnum(PolicyViolationSeverity severity, bool expected)
    {
        var evt = TestEvents.Create(TestEvents.PolicyViolation(severity), Severity.Debug);
        Assert.Equal(expected, Eval("payload.data.severity >= \"high\" && severity == \"debug\"", evt).IsTrue);
    }

    [Fact]
    public void Evaluate_EnumField_ReturnsWireName()
    {
        var value = Eval("severity", TestEvents.CostEvent());
        Assert.Equal(ValueKind.Enum, value.Kind);
        Assert.Equal("warning", value.String);
        Assert.Equal(2, value.EnumOrdinal);
        Assert.Equal("severity", value.EnumName);
    }

    [Fact]
    public void Evaluate_EnumComparedWithTag_UsesWireNameCaseInsensitively()
    {
        var evt = TestEvents.Create(TestEvents.TokenCost(), Severity.Error, tags: new Dictionary<string, string> { ["min"] = "WARNING", ["mod"] = "llm-cost-ops" });
        Assert.True(Eval("severity >= tags.min", evt).IsTrue);
        Assert.True(Eval("source_module == tags.mod", evt).IsTrue);
        Assert.False(Eval("severity >= tags.missing", evt).IsTrue);
    }

    [Fact]
    public void Evaluate_NestedAndMapFields_Read()
    {
        var latency = TestEvents.Latency() with
        {
            Breakdown = new LatencyBreakdown { QueueTimeMs = 5, ProcessingTimeMs = 700, NetworkTimeMs = 100, OtherMs = 7.5 },
        };
        Assert.Equal(5.0, Eval("payload.data.breakdown.queue_time_ms", TestEvents.Create(latency)).Number);
        var performance = new ModelPerformanceMetrics { ModelId = "m", CustomMetrics = new Dictionary<string, double> { ["bleu"] = 0.4 } };
        var evt = TestEvents.Create(performance);
        Assert.Equal(0.4, Eval("payload.data.custom_metrics.bleu", evt).Number);
        Assert.True(Eval("payload.data.custom_metrics.rouge", evt).IsNull);
    }

    [Fact]
    public void EvaluateNumber_Formula_UsesVariables()
    {
        var vars = new VariableSet("total_cost_usd", "request_count");
        var formula = Compile("cost_per_request = total_cost_usd / request_count", new CompileOptions { Variables = vars });
        Assert.Equal("cost_per_request", formula.Name);
        Assert.Null(formula.EvaluateNumber(vars));
        vars.Set("total_cost_usd", 12).Set("request_count", 48);
        Assert.Equal(0.25, formula.EvaluateNumber(vars));
        vars.Set("request_count", 0);
        Assert.Null(formula.EvaluateNumber(vars));
        Assert.Equal(ValueKind.Number, formula.ResultKind);
    }

    [Fact]
    public void Compile_VariablesWinOverPayloadFields()
    {
        var vars = new VariableSet("total_cost_usd");
        vars.Set("total_cost_usd", 3);
        Assert.Equal(3.0, Eval("total_cost_usd", TestEvents.CostEvent(), vars).Number);
    }

    [Fact]
    public void Evaluate_WithoutEvent_EventFieldsAreNull()
    {
        Assert.True(Eval("severity").IsNull);
        Assert.True(Eval("tags.team").IsNull);
        Assert.False(Eval("severity >= \"info\"").IsTrue);
    }

    [Theory]
    [InlineData("foo(1)", ProblemCodes.UnknownFunction, 0)]
    [InlineData("1 + abs(1, 2)", ProblemCodes.WrongArity, 4)]
    [InlineData("min(1)", ProblemCodes.WrongArity, 0)]
    [InlineData("coalesce()", ProblemCodes.WrongArity, 0)]
    [InlineData("\"a\" == 1", ProblemCodes.TypeMismatch, 4)]
    [InlineData("\"a\" < 1", ProblemCodes.TypeMismatch, 4)]
    [InlineData("true > false", ProblemCodes.NotOrdered, 0)]
    [InlineData("severity >= \"high\"", ProblemCodes.UnknownEnumValue, 12)]
    [InlineData("severity == \"urgent\"", ProblemCodes.UnknownEnumValue, 12)]
    [InlineData("severity in [\"info\", \"urgent\"]", ProblemCodes.UnknownEnumValue, 21)]
    [InlineData("severity == 3", ProblemCodes.TypeMismatch, 9)]
    [InlineData("severity == source_module", ProblemCodes.TypeMismatch, 9)]
    [InlineData("severity >= payload.data.threat_level", ProblemCodes.TypeMismatch, 9)]
    [InlineData("source_module > \"llm-registry\"", ProblemCodes.NotOrdered, 0)]
    [InlineData("severity + 1", ProblemCodes.TypeMismatch, 0)]
    [InlineData("tags.team * 2", ProblemCodes.TypeMismatch, 0)]
    [InlineData("1 && true", ProblemCodes.TypeMismatch, 0)]
    [InlineData("!\"x\"", ProblemCodes.TypeMismatch, 1)]
    [InlineData("-true", ProblemCodes.TypeMismatch, 1)]
    [InlineData("sqrt(\"x\")", ProblemCodes.TypeMismatch, 5)]
    [InlineData("payload.data.nope > 1", ProblemCodes.UnknownField, 0)]
    [InlineData("nope", ProblemCodes.UnknownField, 0)]
    [InlineData("tags.a.b", ProblemCodes.UnknownField, 0)]
    [InlineData("payload.nope", ProblemCodes.UnknownField, 0)]
    public void Compile_StaticError_ReportsCodeAndPosition(string text, string code, int position)
    {
        var error = CompileError(text);
        Assert.Equal(code, error.Code);
        Assert.Equal(position, error.Location!.Value.Position);
        Assert.Equal(1, error.Location!.Value.Line);
        Assert.Equal(position + 1, error.Location!.Value.Column);
    }

    [Fact]
    public void Compile_UnknownFieldForDeclaredPayloadKind_Rejected()
    {
        var options = new CompileOptions { PayloadKind = "latency" };
        var error = CompileError("x > 1 && payload.data.total_cost_usd > 1", options with { Variables = new VariableSet("x") });
        Assert.Equal(ProblemCodes.UnknownField, error.Code);
        Assert.Equal(9, error.Location!.Value.Position);
        Assert.Contains("'latency'", error.Message, StringComparison.Ordinal);
        Assert.True(CompiledExpression.Compile("total_cost_usd > 1", new CompileOptions { PayloadKind = "cost" }).Succeeded);
        Assert.True(CompiledExpression.Compile("total_latency_ms > 1", options).Succeeded);
    }

    [Fact]
    public void Compile_UnknownPayloadKind_Rejected() =>
        Assert.Equal(ProblemCodes.UnknownPayloadKind, CompileError("1", new CompileOptions { PayloadKind = "lifecycle" }).Code);

    [Fact]
    public void Compile_DeclaredKindNarrowsTypes()
    {
        // Without a kind, 'action' is an auth enum or an audit string; with 'auth' it is the enum, so bad names are caught.
        Assert.True(CompiledExpression.Compile("payload.data.action == \"deploy\"").Succeeded);
        var error = CompileError("payload.data.action == \"deploy\"", new CompileOptions { PayloadKind = "auth" });
        Assert.Equal(ProblemCodes.UnknownEnumValue, error.Code);
    }

    [Fact]
    public void Compile_SeveralErrors_AllReportedInTextOrder()
    {
        var result = CompiledExpression.Compile("foo(1) && \"a\" == 1 && nope");
        Assert.Equal(
            [ProblemCodes.UnknownFunction, ProblemCodes.TypeMismatch, ProblemCodes.UnknownField],
            result.Errors.Select(e => e.Code));
        Assert.Equal([0, 14, 22], result.Errors.Select(e => e.Location!.Value.Position));
    }

    [Fact]
    public void Compile_ParseError_IsReturnedNotThrown()
    {
        var result = CompiledExpression.Compile("severity >=");
        Assert.False(result.Succeeded);
        Assert.Equal(ProblemCodes.UnexpectedEnd, result.Errors[0].Code);
        Assert.Throws<ArgumentException>(() => result.GetValueOrThrow());
    }

    [Fact]
    public void Interpret_UnknownNamesAndFunctions_AreNull()
    {
        var expression = Expression.Parse("nope + foo(1)").GetValueOrThrow();
        Assert.True(expression.Interpret(TestEvents.CostEvent()).IsNull);
    }

    [Fact]
    public void EvaluateCondition_CompiledPath_AllocatesNothing()
    {
        var evt = TestEvents.CostEvent();
        var conditions = new[]
        {
            Compile("severity >= \"warning\" && payload.data.total_cost_usd > 0.5"),
            Compile("tags.team == \"ml\" && source_module in [\"llm-cost-ops\", \"llm-observatory\"]"),
            Compile("max(total_cost_usd, 1) / 2 > 0.1 || tags.region != \"us\""),
            Compile("coalesce(payload.data.ttft_ms, 0) < 100 && environment == \"production\""),
        };
        foreach (var condition in conditions)
        {
            condition.EvaluateCondition(evt);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var matches = 0;
        for (var i = 0; i < 1000; i++)
        {
            foreach (var condition in conditions)
            {
                matches += condition.EvaluateCondition(evt) ? 1 : 0;
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(4000, matches);
    }

    [Fact]
    public void Value_FromNumber_NonFiniteIsNull()
    {
        Assert.True(Value.FromNumber(double.NaN).IsNull);
        Assert.True(Value.FromNumber(double.PositiveInfinity).IsNull);
        Assert.True(Value.FromNumber((double?)null).IsNull);
        Assert.Equal("2.5", Value.FromNumber(2.5).ToString());
        Assert.Equal("\"ml\"", Value.FromString("ml").ToString());
        Assert.Equal("null", Value.Null.ToString());
        Assert.Equal("true", Value.True.ToString());
    }

    [Fact]
    public void VariableSet_DuplicateName_Throws() =>
        Assert.Throws<ArgumentException>(() => new VariableSet("a", "a"));

    [Fact]
    public void VariableSet_Clear_ResetsToNull()
    {
        var vars = new VariableSet("a").Set("a", 1);
        Assert.Equal(1.0, vars["a"].Number);
        vars.Clear();
        Assert.True(vars[0].IsNull);
        Assert.True(vars.GetValue(5).IsNull);
    }

    [Fact]
    public void Compile_CustomLimits_Apply()
    {
        var limits = new ExpressionLimits { MaxDepth = 2 };
        Assert.True(Expression.Parse("((1))", limits).Succeeded);
        Assert.Equal(ProblemCodes.TooDeep, Expression.Parse("(((1)))", limits).Errors[0].Code);
    }

    [Fact]
    public void Compile_ConstantSubtrees_AreFolded()
    {
        var compiled = Compile("1 + 2 * 3");
        Assert.Equal(ValueKind.Number, compiled.ResultKind);
        Assert.Equal(7.0, compiled.EvaluateNumber(null, null));
        Assert.Equal("1 + 2 * 3", compiled.ToString());
    }

    [Fact]
    public void EvaluateCondition_EnumAgainstLongTagValue_AllocatesNothing()
    {
        var evt = TestEvents.Create(TestEvents.TokenCost(), Severity.Error, tags: new Dictionary<string, string> { ["min"] = "a-tag-value-longer-than-twenty-characters" });
        var condition = Compile("severity >= tags.min || source_module == tags.min");
        Assert.False(condition.EvaluateCondition(evt));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            condition.EvaluateCondition(evt);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
