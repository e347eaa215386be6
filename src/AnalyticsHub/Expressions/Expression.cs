using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// A parsed expression of the one safe expression language used by composite-metric formulas,
/// policy conditions and pattern-step conditions (see docs/expressions.md).
/// </summary>
/// <example>
/// <code>
/// var condition = CompiledExpression.Compile("severity >= \"warning\" &amp;&amp; payload.data.total_cost_usd > 0.5").GetValueOrThrow();
/// bool matches = condition.EvaluateCondition(evt);
/// </code>
/// </example>
public sealed class Expression
{
    internal Expression(string text, string? name, ExpressionNode root)
    {
        Text = text;
        Name = name;
        Root = root;
    }

    /// <summary>The text that was parsed.</summary>
    public string Text { get; }

    /// <summary>The name of a formula written <c>name = ...</c>; otherwise <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <summary>The syntax tree.</summary>
    public ExpressionNode Root { get; }

    /// <summary>Parses expression text; bad input comes back as errors with positions, never as an exception.</summary>
    /// <param name="text">The expression text.</param>
    /// <param name="limits">Bounds on length, nesting and literal sizes; <see cref="ExpressionLimits.Default"/> when omitted.</param>
    /// <returns>The expression, or the first syntax error.</returns>
    public static ExpressionResult<Expression> Parse(string text, ExpressionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parser.Parse(text, limits ?? ExpressionLimits.Default);
    }

    /// <summary>Parses expression text, the Try way.</summary>
    /// <param name="text">The expression text.</param>
    /// <param name="expression">The expression, when parsing succeeded.</param>
    /// <param name="errors">The syntax errors; empty on success.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Expression? expression, out IReadOnlyList<Problem> errors)
    {
        var result = Parse(text);
        expression = result.Value;
        errors = result.Errors;
        return result.Succeeded;
    }

    /// <summary>Checks the expression statically and compiles it for fast evaluation.</summary>
    /// <param name="options">Variables and payload kind; <see cref="CompileOptions.Default"/> when omitted.</param>
    /// <returns>The compiled expression, or every static error (unknown fields and functions, wrong arity, incompatible types).</returns>
    public ExpressionResult<CompiledExpression> Compile(CompileOptions? options = null) =>
        Compiler.Compile(this, options ?? CompileOptions.Default);

    /// <summary>
    /// Evaluates by walking the syntax tree and resolving names on every call: the slow reference the
    /// compiled evaluator is tested against. Unknown names and functions evaluate to null.
    /// </summary>
    /// <param name="evt">The event, if any.</param>
    /// <param name="variables">The variables, if any (found by name).</param>
    public Value Interpret(AnalyticsEvent? evt, IVariableSource? variables = null) => Interpreter.Evaluate(Root, evt, variables);

    /// <summary>The expression as canonical text (with its <c>name =</c> prefix) that parses back to an equal tree.</summary>
    public override string ToString() => ExpressionPrinter.Print(Name, Root);
}
