namespace AnalyticsHub.Expressions;

/// <summary>
/// The runtime meaning of every operator, shared by the interpreter and the compiled evaluator so
/// the two cannot drift apart. Never throws: undefined results are <see cref="Value.Null"/> or false.
/// </summary>
internal static class Semantics
{
    public static Value Arithmetic(BinaryOperator op, in Value left, in Value right)
    {
        if (left.Kind != ValueKind.Number || right.Kind != ValueKind.Number)
        {
            return Value.Null;
        }

        return Arithmetic(op, left.RawNumber, right.RawNumber);
    }

    public static Value Arithmetic(BinaryOperator op, double a, double b) => op switch
    {
        BinaryOperator.Add => Value.FromNumber(a + b),
        BinaryOperator.Subtract => Value.FromNumber(a - b),
        BinaryOperator.Multiply => Value.FromNumber(a * b),
        BinaryOperator.Divide => b == 0 ? Value.Null : Value.FromNumber(a / b),
        _ => b == 0 ? Value.Null : Value.FromNumber(a % b),
    };

    public static Value Negate(in Value operand) =>
        operand.Kind == ValueKind.Number ? Value.FromNumber(-operand.RawNumber) : Value.Null;

    /// <summary>The language's <c>==</c>: null equals only null; enums match strings by wire name, case-insensitively.</summary>
    public static bool AreEqual(in Value left, in Value right)
    {
        var lk = left.Kind;
        var rk = right.Kind;
        if (lk == rk)
        {
            return lk switch
            {
                ValueKind.Null => true,
                ValueKind.Number or ValueKind.Boolean => left.RawNumber == right.RawNumber,
                ValueKind.String => string.Equals((string)left.RawRef!, (string)right.RawRef!, StringComparison.Ordinal),
                _ => ReferenceEquals(left.RawRef, right.RawRef)
                    ? left.RawNumber == right.RawNumber
                    : string.Equals(left.String, right.String, StringComparison.OrdinalIgnoreCase),
            };
        }

        if (lk == ValueKind.Enum && rk == ValueKind.String)
        {
            return EnumEqualsName(left, (string)right.RawRef!);
        }

        if (lk == ValueKind.String && rk == ValueKind.Enum)
        {
            return EnumEqualsName(right, (string)left.RawRef!);
        }

        return false;
    }

    private static bool EnumEqualsName(in Value enumValue, string name) =>
        ((EnumDomain)enumValue.RawRef!).TryGetOrdinal(name, out var ordinal) && ordinal == (int)enumValue.RawNumber;

    /// <summary>
    /// The ordering operators: numbers numerically, strings ordinally, values of one ordered enum by
    /// declaration order (a string names a value of the enum). Anything else, null included, is false.
    /// </summary>
    public static bool Compare(BinaryOperator op, in Value left, in Value right)
    {
        var lk = left.Kind;
        var rk = right.Kind;
        int order;
        if (lk == ValueKind.Number && rk == ValueKind.Number)
        {
            return CompareNumbers(op, left.RawNumber, right.RawNumber);
        }

        if (lk == ValueKind.String && rk == ValueKind.String)
        {
            order = string.CompareOrdinal((string)left.RawRef!, (string)right.RawRef!);
        }
        else if (lk == ValueKind.Enum || rk == ValueKind.Enum)
        {
            var domain = lk == ValueKind.Enum ? (EnumDomain)left.RawRef! : (EnumDomain)right.RawRef!;
            if (!domain.IsOrdered || !TryOrdinal(domain, left, out var a) || !TryOrdinal(domain, right, out var b))
            {
                return false;
            }

            order = a.CompareTo(b);
        }
        else
        {
            return false;
        }

        return op switch
        {
            BinaryOperator.Less => order < 0,
            BinaryOperator.LessOrEqual => order <= 0,
            BinaryOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }

    public static bool CompareNumbers(BinaryOperator op, double a, double b) => op switch
    {
        BinaryOperator.Less => a < b,
        BinaryOperator.LessOrEqual => a <= b,
        BinaryOperator.Greater => a > b,
        _ => a >= b,
    };

    private static bool TryOrdinal(EnumDomain domain, in Value value, out int ordinal)
    {
        switch (value.Kind)
        {
            case ValueKind.Enum when ReferenceEquals(value.RawRef, domain):
                ordinal = (int)value.RawNumber;
                return true;
            case ValueKind.String:
                return domain.TryGetOrdinal((string)value.RawRef!, out ordinal);
            default:
                ordinal = -1;
                return false;
        }
    }
}
