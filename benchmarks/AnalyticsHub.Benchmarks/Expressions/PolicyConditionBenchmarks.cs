using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Expressions;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks.Expressions;

/// <summary>
/// 100 typical policy-rule conditions evaluated against one token-cost event: the compiled evaluator
/// against the reference tree walk (which resolves field paths and enum names on every call).
/// Results are per condition evaluation (OperationsPerInvoke = 100).
/// </summary>
[MemoryDiagnoser]
public class PolicyConditionBenchmarks
{
    private const int Conditions = 100;

    private static readonly string[] Templates =
    [
        "severity >= \"warning\" && payload.data.total_cost_usd > {0}",
        "tags.team == \"ml\" && source_module in [\"llm-cost-ops\", \"llm-observatory\"] && total_cost_usd > {0}",
        "payload.data.total_tokens > {1} || payload.data.prompt_tokens > {1}",
        "environment == \"production\" && severity >= \"error\" || total_cost_usd > {0} * 10",
        "payload.payload_type == \"cost\" && total_cost_usd / max(total_tokens, 1) > {0} / 1000",
        "tags.region in [\"eu-west-1\", \"us-east-1\"] && !(tags.team == \"infra\") && prompt_tokens > {1}",
        "payload.data.model_id == \"gpt-4o\" && payload.data.completion_tokens > {1}",
        "coalesce(payload.data.cached_input_tokens, 0) > {1} || severity == \"critical\"",
        "event_type == \"cost\" && payload.data.cost_per_completion_token * 1000000 > {0} * 20",
        "source_module != \"llm-sentinel\" && tags.team != null && total_cost_usd >= {0}",
    ];

    private AnalyticsEvent _event = null!;
    private Expression[] _parsed = null!;
    private CompiledExpression[] _compiled = null!;

    /// <summary>The 100 condition texts (10 templates with 10 thresholds each).</summary>
    public static IEnumerable<string> ConditionTexts()
    {
        for (var i = 0; i < Conditions; i++)
        {
            var cost = (0.1 * (i / Templates.Length)).ToString("R", CultureInfo.InvariantCulture);
            var tokens = (200 * (i / Templates.Length)).ToString(CultureInfo.InvariantCulture);
            yield return string.Format(CultureInfo.InvariantCulture, Templates[i % Templates.Length], cost, tokens);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _event = new AnalyticsEvent
        {
            Common = new CommonEventFields
            {
                EventId = Guid.Parse("5b0e7a52-3c1d-4f6e-8a9b-0c1d2e3f4a5b"),
                Timestamp = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero),
                SourceModule = SourceModule.LlmCostOps,
                EventType = EventType.Cost,
                Severity = Severity.Warning,
                Environment = "production",
                Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["team"] = "ml", ["region"] = "eu-west-1", ["tenant"] = "t-17" },
            },
            Payload = new TokenCostEvent
            {
                ModelId = "gpt-4o",
                RequestId = "req-1",
                PromptTokens = 1200,
                CompletionTokens = 650,
                TotalTokens = 1850,
                CostPerPromptToken = 0.0000025,
                CostPerCompletionToken = 0.00001,
                TotalCostUsd = 0.0095,
                Currency = "USD",
            },
        };
        _parsed = [.. ConditionTexts().Select(t => Expression.Parse(t).GetValueOrThrow())];
        _compiled = [.. _parsed.Select(p => p.Compile().GetValueOrThrow())];
        if (TreeWalk() != Compiled())
        {
            throw new InvalidOperationException("The evaluators disagree.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Conditions)]
    public int TreeWalk()
    {
        var matches = 0;
        var evt = _event;
        foreach (var condition in _parsed)
        {
            if (condition.Interpret(evt).IsTrue)
            {
                matches++;
            }
        }

        return matches;
    }

    [Benchmark(OperationsPerInvoke = Conditions)]
    public int Compiled()
    {
        var matches = 0;
        var evt = _event;
        foreach (var condition in _compiled)
        {
            if (condition.EvaluateCondition(evt))
            {
                matches++;
            }
        }

        return matches;
    }
}
