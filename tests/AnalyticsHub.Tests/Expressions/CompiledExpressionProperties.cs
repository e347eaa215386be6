using AnalyticsHub.Expressions;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Expressions;

public class CompiledExpressionProperties
{
    /// <summary>Structural equality of syntax trees, ignoring positions.</summary>
    private static bool SameTree(ExpressionNode a, ExpressionNode b) => (a, b) switch
    {
        (LiteralNode x, LiteralNode y) => x.Value.Equals(y.Value),
        (FieldNode x, FieldNode y) => x.Segments.SequenceEqual(y.Segments),
        (UnaryNode x, UnaryNode y) => x.Operator == y.Operator && SameTree(x.Operand, y.Operand),
        (BinaryNode x, BinaryNode y) => x.Operator == y.Operator && SameTree(x.Left, y.Left) && SameTree(x.Right, y.Right),
        (InNode x, InNode y) => SameTree(x.Operand, y.Operand) && SameList(x.Items, y.Items),
        (CallNode x, CallNode y) => x.Function == y.Function && SameList(x.Arguments, y.Arguments),
        _ => false,
    };

    private static bool SameList(IReadOnlyList<ExpressionNode> a, IReadOnlyList<ExpressionNode> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!SameTree(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 400, Arbitrary = [typeof(ExpressionArbitraries)])]
    public bool PrintThenParse_RoundTripsTheTree(ExpressionCase testCase)
    {
        var text = testCase.Root.ToString();
        var parsed = Expression.Parse(text).GetValueOrThrow();
        return SameTree(testCase.Root, parsed.Root) && parsed.ToString() == text;
    }

    [Property(MaxTest = 400, Arbitrary = [typeof(ExpressionArbitraries)])]
    public void Compiled_AgreesWithInterpreter(ExpressionCase testCase)
    {
        var variables = testCase.CreateVariables();
        var expression = Expression.Parse(testCase.Root.ToString()).GetValueOrThrow();
        var compiled = expression.Compile(new CompileOptions { Variables = variables }).GetValueOrThrow();

        var expected = expression.Interpret(testCase.Event, variables);
        Assert.Equal(expected, compiled.Evaluate(testCase.Event, variables));
        Assert.Equal(expected.IsTrue, compiled.EvaluateCondition(testCase.Event, variables));
        Assert.Equal(expected.Kind == ValueKind.Number ? expected.Number : null, compiled.EvaluateNumber(testCase.Event, variables));
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(ExpressionArbitraries)])]
    public void Compiled_WithoutEvent_AgreesWithInterpreter(ExpressionCase testCase)
    {
        var variables = testCase.CreateVariables();
        var expression = Expression.Parse(testCase.Root.ToString()).GetValueOrThrow();
        var compiled = expression.Compile(new CompileOptions { Variables = variables }).GetValueOrThrow();
        Assert.Equal(expression.Interpret(null, variables), compiled.Evaluate(null, variables));
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(ExpressionArbitraries)])]
    public void Evaluate_ResultsAreNeverNonFinite(ExpressionCase testCase)
    {
        var variables = testCase.CreateVariables();
        var compiled = CompiledExpression.Compile(testCase.Root.ToString(), new CompileOptions { Variables = variables }).GetValueOrThrow();
        var value = compiled.Evaluate(testCase.Event, variables);
        Assert.True(value.Kind != ValueKind.Number || double.IsFinite(value.Number));
    }
}
