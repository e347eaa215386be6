using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// The reference evaluator: walks the syntax tree and resolves every field path by name on every
/// evaluation. Slow and obvious on purpose; the compiled evaluator must agree with it.
/// </summary>
internal static class Interpreter
{
    public static Value Evaluate(ExpressionNode node, AnalyticsEvent? evt, IVariableSource? variables)
    {
        switch (node)
        {
            case LiteralNode literal:
                return literal.Value;
            case FieldNode field:
                return FieldCatalog.Resolve(field, variables, null) is { } binding ? binding.Read(evt, variables) : Value.Null;
            case UnaryNode unary:
                {
                    var operand = Evaluate(unary.Operand, evt, variables);
                    return unary.Operator == UnaryOperator.Negate ? Semantics.Negate(operand) : Value.FromBoolean(!operand.IsTrue);
                }

            case BinaryNode binary:
                return EvaluateBinary(binary, evt, variables);
            case InNode inNode:
                {
                    var operand = Evaluate(inNode.Operand, evt, variables);
                    foreach (var item in inNode.Items)
                    {
                        if (Semantics.AreEqual(operand, Evaluate(item, evt, variables)))
                        {
                            return Value.True;
                        }
                    }

                    return Value.False;
                }

            case CallNode call:
                return EvaluateCall(call, evt, variables);
            default:
                return Value.Null;
        }
    }

    private static Value EvaluateBinary(BinaryNode binary, AnalyticsEvent? evt, IVariableSource? variables)
    {
        switch (binary.Operator)
        {
            case BinaryOperator.And:
                return Value.FromBoolean(Evaluate(binary.Left, evt, variables).IsTrue && Evaluate(binary.Right, evt, variables).IsTrue);
            case BinaryOperator.Or:
                return Value.FromBoolean(Evaluate(binary.Left, evt, variables).IsTrue || Evaluate(binary.Right, evt, variables).IsTrue);
        }

        var left = Evaluate(binary.Left, evt, variables);
        var right = Evaluate(binary.Right, evt, variables);
        return binary.Operator switch
        {
            BinaryOperator.Equal => Value.FromBoolean(Semantics.AreEqual(left, right)),
            BinaryOperator.NotEqual => Value.FromBoolean(!Semantics.AreEqual(left, right)),
            BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual =>
                Value.FromBoolean(Semantics.Compare(binary.Operator, left, right)),
            _ => Semantics.Arithmetic(binary.Operator, left, right),
        };
    }

    private static Value EvaluateCall(CallNode call, AnalyticsEvent? evt, IVariableSource? variables)
    {
        var args = call.Arguments;
        if (!Functions.TryGet(call.Function, out var id, out var minArity, out var maxArity) || args.Count < minArity || args.Count > maxArity)
        {
            return Value.Null;
        }

        switch (id)
        {
            case FunctionId.Min or FunctionId.Max:
                {
                    var result = Evaluate(args[0], evt, variables);
                    for (var i = 1; i < args.Count; i++)
                    {
                        result = Functions.MinMax(id, result, Evaluate(args[i], evt, variables));
                    }

                    return result;
                }

            case FunctionId.Coalesce:
                foreach (var arg in args)
                {
                    var value = Evaluate(arg, evt, variables);
                    if (!value.IsNull)
                    {
                        return value;
                    }
                }

                return Value.Null;
            default:
                return Functions.Unary(id, Evaluate(args[0], evt, variables));
        }
    }
}
