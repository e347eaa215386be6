using System.Runtime.CompilerServices;
using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// A node of a compiled expression: field paths already bound to getters, enum names already
/// resolved to ordinals, constant lists turned into bit masks, constants folded. Built once by the
/// compiler; evaluating one calls a few virtual methods and allocates nothing. Each specialised node
/// falls back to <see cref="Semantics"/> when a value is not of the kind it was specialised for, so it
/// agrees with the interpreter for every input.
/// </summary>
internal abstract class EvalNode
{
    public abstract Value Eval(AnalyticsEvent? evt, IVariableSource? vars);

    /// <summary>Evaluates in a boolean context: only <c>true</c> is true.</summary>
    public virtual bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars) => Eval(evt, vars).IsTrue;

    /// <summary>A node whose result is a boolean computed by <see cref="EvalBool"/>.</summary>
    internal abstract class Predicate : EvalNode
    {
        public sealed override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) => Value.FromBoolean(EvalBool(evt, vars));

        public abstract override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars);
    }

    internal sealed class Constant(Value value) : EvalNode
    {
        public Value Value { get; } = value;

        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) => Value;

        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars) => Value.IsTrue;
    }

    internal sealed class Variable(int slot) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) => vars is null ? Value.Null : vars.GetValue(slot);
    }

    internal sealed class CommonField(Func<AnalyticsEvent, Value> get) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) => evt is null ? Value.Null : get(evt);
    }

    internal sealed class Tag(string key) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) =>
            evt is not null && evt.Common.Tags.TryGetValue(key, out var value) ? Value.FromString(value) : Value.Null;
    }

    internal sealed class PayloadField(PayloadAccessor[] accessors) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) =>
            evt is null ? Value.Null : PayloadAccessor.Read(accessors, evt.Payload);
    }

    internal sealed class PayloadMapEntry(PayloadAccessor[] accessors, string key) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) =>
            evt is null ? Value.Null : PayloadAccessor.ReadKeyed(accessors, evt.Payload, key);
    }

    internal sealed class Negate(EvalNode operand) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) => Semantics.Negate(operand.Eval(evt, vars));
    }

    internal sealed class Not(EvalNode operand) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars) => !operand.EvalBool(evt, vars);
    }

    internal sealed class And(EvalNode left, EvalNode right) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars) => left.EvalBool(evt, vars) && right.EvalBool(evt, vars);
    }

    internal sealed class Or(EvalNode left, EvalNode right) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars) => left.EvalBool(evt, vars) || right.EvalBool(evt, vars);
    }

    internal sealed class Arithmetic(BinaryOperator op, EvalNode left, EvalNode right) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var a = left.Eval(evt, vars);
            var b = right.Eval(evt, vars);
            return a.Kind == ValueKind.Number && b.Kind == ValueKind.Number
                ? Semantics.Arithmetic(op, a.RawNumber, b.RawNumber)
                : Value.Null;
        }
    }

    internal sealed class Equal(EvalNode left, EvalNode right, bool negate) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars) =>
            Semantics.AreEqual(left.Eval(evt, vars), right.Eval(evt, vars)) != negate;
    }

    /// <summary><c>x == "text"</c> with a string constant: an ordinal compare when x is a string.</summary>
    internal sealed class EqualString(EvalNode operand, Value constant, bool negate) : Predicate
    {
        private readonly string _text = constant.String!;

        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var value = operand.Eval(evt, vars);
            var equal = value.Kind == ValueKind.String
                ? string.Equals((string)value.RawRef!, _text, StringComparison.Ordinal)
                : Semantics.AreEqual(value, constant);
            return equal != negate;
        }
    }

    /// <summary><c>x == "name"</c> where x is an enum field and the name was resolved to an ordinal at compile time.</summary>
    internal sealed class EqualEnum(EvalNode operand, EnumDomain domain, int ordinal, Value constant, bool negate) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var value = operand.Eval(evt, vars);
            var equal = value.Kind == ValueKind.Enum && ReferenceEquals(value.RawRef, domain)
                ? (int)value.RawNumber == ordinal
                : Semantics.AreEqual(value, constant);
            return equal != negate;
        }
    }

    internal sealed class Compare(BinaryOperator op, EvalNode left, EvalNode right) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars) =>
            Semantics.Compare(op, left.Eval(evt, vars), right.Eval(evt, vars));
    }

    /// <summary><c>x &gt; 0.5</c> with a number constant on the right.</summary>
    internal sealed class CompareNumber(BinaryOperator op, EvalNode operand, double constant) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var value = operand.Eval(evt, vars);
            if (value.Kind != ValueKind.Number)
            {
                return false;
            }

            var x = value.RawNumber;
            return op switch
            {
                BinaryOperator.Less => x < constant,
                BinaryOperator.LessOrEqual => x <= constant,
                BinaryOperator.Greater => x > constant,
                _ => x >= constant,
            };
        }
    }

    /// <summary><c>severity &gt;= "warning"</c>: an ordered enum field against a name resolved at compile time.</summary>
    internal sealed class CompareEnum(BinaryOperator op, EvalNode operand, EnumDomain domain, int ordinal, Value constant) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var value = operand.Eval(evt, vars);
            if (value.Kind != ValueKind.Enum || !ReferenceEquals(value.RawRef, domain))
            {
                return Semantics.Compare(op, value, constant);
            }

            var x = (int)value.RawNumber;
            return op switch
            {
                BinaryOperator.Less => x < ordinal,
                BinaryOperator.LessOrEqual => x <= ordinal,
                BinaryOperator.Greater => x > ordinal,
                _ => x >= ordinal,
            };
        }
    }

    internal sealed class In(EvalNode operand, EvalNode[] items) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var value = operand.Eval(evt, vars);
            foreach (var item in items)
            {
                if (Semantics.AreEqual(value, item.Eval(evt, vars)))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary><c>x in [...]</c> with only constant items: strings compare ordinally, anything else by <see cref="Semantics.AreEqual"/>.</summary>
    internal sealed class InConstants(EvalNode operand, Value[] items) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var value = operand.Eval(evt, vars);
            var items1 = items;
            if (value.Kind == ValueKind.String)
            {
                var text = (string)value.RawRef!;
                for (var i = 0; i < items1.Length; i++)
                {
                    if (items1[i].Kind == ValueKind.String && string.Equals((string)items1[i].RawRef!, text, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }

            for (var i = 0; i < items1.Length; i++)
            {
                if (Semantics.AreEqual(value, items1[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary><c>source_module in ["llm-cost-ops", ...]</c>: an enum field against names resolved to a bit mask at compile time.</summary>
    internal sealed class InEnumMask(EvalNode operand, EnumDomain domain, ulong mask, Value[] items) : Predicate
    {
        public override bool EvalBool(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var value = operand.Eval(evt, vars);
            if (value.Kind == ValueKind.Enum && ReferenceEquals(value.RawRef, domain))
            {
                return (mask & (1UL << (int)value.RawNumber)) != 0;
            }

            for (var i = 0; i < items.Length; i++)
            {
                if (Semantics.AreEqual(value, items[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }

    internal sealed class UnaryFunction(FunctionId id, EvalNode argument) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars) => Functions.Unary(id, argument.Eval(evt, vars));
    }

    internal sealed class MinMax(FunctionId id, EvalNode[] arguments) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars)
        {
            var result = arguments[0].Eval(evt, vars);
            for (var i = 1; i < arguments.Length; i++)
            {
                result = Functions.MinMax(id, result, arguments[i].Eval(evt, vars));
            }

            return result;
        }
    }

    internal sealed class Coalesce(EvalNode[] arguments) : EvalNode
    {
        public override Value Eval(AnalyticsEvent? evt, IVariableSource? vars)
        {
            foreach (var argument in arguments)
            {
                var value = argument.Eval(evt, vars);
                if (!value.IsNull)
                {
                    return value;
                }
            }

            return Value.Null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BinaryOperator Mirror(BinaryOperator op) => op switch
    {
        BinaryOperator.Less => BinaryOperator.Greater,
        BinaryOperator.LessOrEqual => BinaryOperator.GreaterOrEqual,
        BinaryOperator.Greater => BinaryOperator.Less,
        BinaryOperator.GreaterOrEqual => BinaryOperator.LessOrEqual,
        _ => op,
    };
}
