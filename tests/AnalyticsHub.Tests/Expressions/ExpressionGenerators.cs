using AnalyticsHub.Events;
using AnalyticsHub.Expressions;
using FsCheck;
using FsCheck.Fluent;

namespace AnalyticsHub.Tests.Expressions;

/// <summary>One generated test case: a well-typed syntax tree, an event and values for the variables x, y and z.</summary>
public sealed record ExpressionCase(ExpressionNode Root, AnalyticsEvent Event, Value[] Variables)
{
    public static readonly string[] VariableNames = ["x", "y", "z"];

    public VariableSet CreateVariables()
    {
        var set = new VariableSet(VariableNames);
        for (var i = 0; i < Variables.Length; i++)
        {
            set[i] = Variables[i];
        }

        return set;
    }

    public override string ToString() =>
        $"{Root} | {Event.Payload.GetType().Name} severity={Event.Severity} module={Event.SourceModule} tags=[{string.Join(",", Event.Common.Tags.Select(t => t.Key + "=" + t.Value))}] vars=[{string.Join(", ", Variables)}]";
}

/// <summary>FsCheck generators of typed expression trees, events and variable values (local to the expression tests).</summary>
public static class ExpressionGenerators
{
    private static readonly string[] NumberFields =
    [
        "total_cost_usd", "payload.data.total_cost_usd", "payload.data.total_latency_ms", "payload.data.ttft_ms",
        "payload.data.breakdown.queue_time_ms", "payload.data.custom_metrics.bleu", "payload.data.request_count",
        "prompt_tokens", "timestamp", "payload.data.score",
    ];

    private static readonly string[] StringFields = ["tags.team", "tags.region", "environment", "payload.data.model_id", "payload.subtype"];

    private static readonly string[] BooleanFields = ["payload.data.success", "payload.data.auto_remediated"];

    private static readonly string[] StringLiterals = ["ml", "ML", "infra", "eu", "production", "gpt-4o", "", "a\"b\\c\n", "token_cost"];

    private static readonly (string Field, bool Ordered, string[] Names)[] EnumFields =
    [
        ("severity", true, ["debug", "info", "warning", "error", "critical", "WARNING"]),
        ("payload.data.threat_level", true, ["low", "medium", "high", "critical"]),
        ("payload.data.severity", true, ["low", "medium", "high", "critical"]),
        ("source_module", false, ["llm-cost-ops", "llm-observatory", "llm-sentinel", "llm-costops", "LLM-Registry"]),
        ("event_type", false, ["cost", "telemetry", "security", "alert"]),
        ("payload.payload_type", false, ["cost", "telemetry", "security", "governance", "custom"]),
        ("payload.data.action", false, ["login", "logout", "deploy", "permission_denied"]),
    ];

    private static readonly BinaryOperator[] Arithmetic =
        [BinaryOperator.Add, BinaryOperator.Subtract, BinaryOperator.Multiply, BinaryOperator.Divide, BinaryOperator.Modulo];

    private static readonly BinaryOperator[] Ordering =
        [BinaryOperator.Less, BinaryOperator.LessOrEqual, BinaryOperator.Greater, BinaryOperator.GreaterOrEqual];

    private static readonly BinaryOperator[] Comparisons =
        [.. Ordering, BinaryOperator.Equal, BinaryOperator.NotEqual];

    private static FieldNode Field(string path) => new(path.Split('.'));

    private static Gen<ExpressionNode> Lit(Value value) => Gen.Constant<ExpressionNode>(new LiteralNode(value));

    private static Gen<ExpressionNode> Fields(string[] paths) => Gen.Elements(paths).Select(p => (ExpressionNode)Field(p));

    private static readonly Gen<ExpressionNode> Variable = Gen.Elements(ExpressionCase.VariableNames).Select(n => (ExpressionNode)Field(n));

    private static readonly Gen<ExpressionNode> NullLiteral = Lit(Value.Null);

    private static readonly Gen<ExpressionNode> NumberLiteral = Gen.OneOf(
        Gen.Elements(0.0, 0.5, 1.0, 2.0, 3.0, 10.0, 100.0, 0.001, 1e300, 0.1, 1705314600.0),
        Gen.Choose(0, 2000).Select(i => (double)i)).Select(d => (ExpressionNode)new LiteralNode(Value.FromNumber(d)));

    private static readonly Gen<ExpressionNode> StringLiteral = Gen.Elements(StringLiterals).Select(s => (ExpressionNode)new LiteralNode(Value.FromString(s)));

    public static Gen<ExpressionNode> Number(int depth)
    {
        var leaf = Gen.Frequency(
            (4, NumberLiteral), (4, Fields(NumberFields)), (2, Variable), (1, NullLiteral));
        if (depth <= 0)
        {
            return leaf;
        }

        var sub = Gen.Fresh(() => Number(depth - 1)).SelectMany(g => g);
        return Gen.Frequency(
            (1, leaf),
            (1, sub.Select(o => (ExpressionNode)new UnaryNode(UnaryOperator.Negate, o))),
            (3, Gen.Elements(Arithmetic).SelectMany(op => Number(depth - 1).SelectMany(l => Number(depth - 1).Select(r => (ExpressionNode)new BinaryNode(op, l, r))))),
            (2, Call(depth)));
    }

    private static Gen<ExpressionNode> Call(int depth) =>
        Gen.Elements("min", "max", "abs", "sqrt", "log", "coalesce").SelectMany(name =>
        {
            var (min, max) = name switch
            {
                "min" or "max" => (2, 4),
                "coalesce" => (1, 3),
                _ => (1, 1),
            };
            return Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Number(depth - 1), n))
                .Select(args => (ExpressionNode)new CallNode(name, args));
        });

    private static Gen<ExpressionNode> Str(int depth) => Gen.Frequency(
        (3, StringLiteral), (3, Fields(StringFields)), (1, Variable), (1, NullLiteral),
        (depth > 0 ? 1 : 0, Gen.Fresh(() => Str(depth - 1)).SelectMany(g => g).Select(s => (ExpressionNode)new CallNode("coalesce", [Field("tags.team"), s]))));

    public static Gen<ExpressionNode> Boolean(int depth)
    {
        var numberCompare = Gen.Elements(Comparisons).SelectMany(op =>
            Number(depth - 1).SelectMany(l => Number(depth - 1).Select(r => (ExpressionNode)new BinaryNode(op, l, r))));
        var stringCompare = Gen.Elements(Comparisons).SelectMany(op =>
            Str(depth - 1).SelectMany(l => Str(depth - 1).Select(r => (ExpressionNode)new BinaryNode(op, l, r))));
        var enumCompare = Gen.Elements(EnumFields).SelectMany(e =>
        {
            var ops = e.Ordered ? Comparisons : [BinaryOperator.Equal, BinaryOperator.NotEqual];
            var other = Gen.Frequency(
                (5, Gen.Elements(e.Names).Select(n => (ExpressionNode)new LiteralNode(Value.FromString(n)))),
                (1, Variable), (1, Fields(["tags.team"])), (1, NullLiteral), (1, Gen.Constant<ExpressionNode>(Field(e.Field))));
            return Gen.Elements(ops).SelectMany(op => other.SelectMany(o => Gen.Elements(true, false).Select(swap =>
                (ExpressionNode)(swap ? new BinaryNode(op, o, Field(e.Field)) : new BinaryNode(op, Field(e.Field), o)))));
        });
        var membership = Gen.OneOf(
            Gen.Elements(EnumFields).SelectMany(e => Gen.SubListOf(e.Names).Select(items =>
                (ExpressionNode)new InNode(Field(e.Field), [.. items.Select(n => (ExpressionNode)new LiteralNode(Value.FromString(n)))]))),
            Str(depth - 1).SelectMany(s => Gen.ListOf(Str(0), 3).Select(items => (ExpressionNode)new InNode(s, [.. items]))),
            Number(depth - 1).SelectMany(s => Gen.ListOf(Number(depth - 1), 2).Select(items => (ExpressionNode)new InNode(s, [.. items]))),
            Variable.SelectMany(v => Gen.ListOf(Gen.OneOf(NumberLiteral, StringLiteral, NullLiteral), 3).Select(items => (ExpressionNode)new InNode(v, [.. items]))));
        var leaf = Gen.Frequency(
            (2, Gen.Elements(Value.True, Value.False, Value.Null).Select(v => (ExpressionNode)new LiteralNode(v))),
            (2, Fields(BooleanFields)), (1, Variable));
        if (depth <= 0)
        {
            return leaf;
        }

        var sub = Gen.Fresh(() => Boolean(depth - 1)).SelectMany(g => g);
        return Gen.Frequency(
            (1, leaf),
            (3, numberCompare),
            (3, enumCompare),
            (2, stringCompare),
            (2, membership),
            (1, sub.Select(b => (ExpressionNode)new UnaryNode(UnaryOperator.Not, b))),
            (5, Gen.Elements(BinaryOperator.And, BinaryOperator.Or).SelectMany(op => sub.SelectMany(l => Boolean(depth - 1).Select(r => (ExpressionNode)new BinaryNode(op, l, r))))));
    }

    public static Gen<Value> VariableValue { get; } = Gen.OneOf(
        Gen.Elements(0.0, 1.0, -2.5, 0.5, 1e300, 100.0).Select(Value.FromNumber),
        Gen.Elements("ml", "warning", "WARNING", "llm-cost-ops", "high", "").Select(Value.FromString),
        Gen.Elements(Value.True, Value.False, Value.Null),
        Gen.Choose(0, 4).Select(i => Value.FromEnum(EnumDomain.Severity, i)));

    public static Gen<AnalyticsEvent> Event { get; } = CreateEventGen();

    private static Gen<AnalyticsEvent> CreateEventGen()
    {
        var payload = Gen.OneOf(
            Gen.Elements(0.0, 0.25, 0.75, 3.0).Select(c => (EventPayload)TestEvents.TokenCost(c)),
            Gen.Choose(0, 3).Select(n => (EventPayload)new ApiCostEvent
            {
                Provider = "openai", ApiEndpoint = "/v1/chat", RequestCount = (ulong)n, CostPerRequest = 0.01, TotalCostUsd = n * 0.01, BillingPeriod = "2024-01",
            }),
            Gen.Elements<double?>(null, 0.0, 120.0).SelectMany(ttft => Gen.Elements(true, false).Select(withBreakdown => (EventPayload)(TestEvents.Latency(812.5, ttft) with
            {
                Breakdown = withBreakdown ? new LatencyBreakdown { QueueTimeMs = 3, ProcessingTimeMs = 800, NetworkTimeMs = 9, OtherMs = 0.5 } : null,
            }))),
            Gen.Elements(true, false).Select(bleu => (EventPayload)new ModelPerformanceMetrics
            {
                ModelId = "gpt-4o", Accuracy = 0.9, CustomMetrics = bleu ? new Dictionary<string, double> { ["bleu"] = 0.4 } : new Dictionary<string, double>(),
            }),
            Gen.Elements(Enum.GetValues<ThreatLevel>()).Select(l => (EventPayload)TestEvents.Threat(l)),
            Gen.Elements(Enum.GetValues<PolicyViolationSeverity>()).Select(s => (EventPayload)TestEvents.PolicyViolation(s)),
            Gen.Elements(Enum.GetValues<AuthAction>()).SelectMany(a => Gen.Elements(true, false).Select(ok => (EventPayload)new AuthEvent
            {
                UserId = "u1", Action = a, Resource = "chat", Success = ok,
            })),
            Gen.Elements("deploy", "login").Select(a => (EventPayload)new AuditTrailEvent { Action = a, Actor = "ci", ResourceType = "model", ResourceId = "m1" }),
            Gen.Constant((EventPayload)new CustomPayload { CustomType = "anomaly" }),
            Gen.Elements(0.0, 0.5, 1.0).Select(s => (EventPayload)new ComplianceCheckEvent { CheckId = "c1", Framework = "soc2", Passed = s > 0.6, Score = s }));
        var tags = Gen.Elements<string?>(null, "ml", "infra", "ML").SelectMany(team => Gen.Elements<string?>(null, "eu", "us").Select(region =>
        {
            var dictionary = new Dictionary<string, string>();
            if (team is not null)
            {
                dictionary["team"] = team;
            }

            if (region is not null)
            {
                dictionary["region"] = region;
            }

            return dictionary;
        }));
        return payload.SelectMany(p => Gen.Elements(Enum.GetValues<Severity>()).SelectMany(severity =>
            Gen.Elements(Enum.GetValues<SourceModule>()).SelectMany(module => tags.SelectMany(t =>
                Gen.Elements("production", "staging").Select(env => TestEvents.Create(p, severity, module, t, env))))));
    }

    public static Gen<ExpressionCase> Case { get; } =
        Gen.Sized(size => Gen.Choose(1, Math.Min(5, 2 + (size / 15))))
            .SelectMany(depth => Gen.Frequency((3, Boolean(depth)), (1, Number(depth)), (1, Str(depth))))
            .SelectMany(root => Event.SelectMany(evt => Gen.ArrayOf(VariableValue, 3).Select(vars => new ExpressionCase(root, evt, vars))));
}

/// <summary>Registers <see cref="ExpressionGenerators.Case"/> with FsCheck.</summary>
public static class ExpressionArbitraries
{
    public static Arbitrary<ExpressionCase> Case() => Arb.From(ExpressionGenerators.Case);
}
