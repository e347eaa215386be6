using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// An expression checked and compiled for fast evaluation: field paths bound to getters, enum names
/// resolved, constants folded. Evaluating allocates nothing and never throws.
/// </summary>
/// <remarks>Thread-safe: it holds no mutable state (a <see cref="VariableSet"/> passed in is the caller's).</remarks>
public sealed class CompiledExpression
{
    private readonly EvalNode _root;

    internal CompiledExpression(Expression source, EvalNode root, ValueKind? resultKind)
    {
        Source = source;
        _root = root;
        ResultKind = resultKind;
    }

    /// <summary>The parsed expression this was compiled from.</summary>
    public Expression Source { get; }

    /// <summary>The name of a formula written <c>name = ...</c>; otherwise <see langword="null"/>.</summary>
    public string? Name => Source.Name;

    /// <summary>The kind of value the expression yields (besides null), or <see langword="null"/> when it depends on variables.</summary>
    public ValueKind? ResultKind { get; }

    /// <summary>Compiles expression text in one step: parse, check, compile.</summary>
    /// <param name="text">The expression text.</param>
    /// <param name="options">Variables and payload kind; <see cref="CompileOptions.Default"/> when omitted.</param>
    /// <returns>The compiled expression, or the errors of parsing or checking.</returns>
    public static ExpressionResult<CompiledExpression> Compile(string text, CompileOptions? options = null)
    {
        var parsed = Expression.Parse(text);
        return parsed.Succeeded ? parsed.Value.Compile(options) : new(null, parsed.Errors);
    }

    /// <summary>Evaluates against an event.</summary>
    /// <param name="evt">The event whose fields the expression reads.</param>
    public Value Evaluate(AnalyticsEvent evt) => _root.Eval(evt, null);

    /// <summary>Evaluates against an event and variables (either may be <see langword="null"/>: its fields are then null).</summary>
    /// <param name="evt">The event, if any.</param>
    /// <param name="variables">The variables, with the slots the expression was compiled against.</param>
    public Value Evaluate(AnalyticsEvent? evt, IVariableSource? variables) => _root.Eval(evt, variables);

    /// <summary>Evaluates as a condition: true only when the result is the boolean <c>true</c>.</summary>
    /// <param name="evt">The event whose fields the condition reads.</param>
    public bool EvaluateCondition(AnalyticsEvent evt) => _root.EvalBool(evt, null);

    /// <summary>Evaluates as a condition over an event and variables.</summary>
    /// <param name="evt">The event, if any.</param>
    /// <param name="variables">The variables, with the slots the expression was compiled against.</param>
    public bool EvaluateCondition(AnalyticsEvent? evt, IVariableSource? variables) => _root.EvalBool(evt, variables);

    /// <summary>Evaluates a formula over named numbers, e.g. <c>total_cost_usd / request_count</c>.</summary>
    /// <param name="variables">The variables, with the slots the expression was compiled against.</param>
    /// <returns>The number, or <see langword="null"/> when the result is not a number (missing input, division by zero...).</returns>
    public double? EvaluateNumber(IVariableSource variables) => EvaluateNumber(null, variables);

    /// <summary>Evaluates as a number over an event and variables.</summary>
    /// <param name="evt">The event, if any.</param>
    /// <param name="variables">The variables, if any.</param>
    /// <returns>The number, or <see langword="null"/> when the result is not a number.</returns>
    public double? EvaluateNumber(AnalyticsEvent? evt, IVariableSource? variables)
    {
        var value = _root.Eval(evt, variables);
        return value.Kind == ValueKind.Number ? value.Number : null;
    }

    /// <summary>The source expression's canonical text.</summary>
    public override string ToString() => Source.ToString();
}
