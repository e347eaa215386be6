namespace AnalyticsHub.Expressions;

/// <summary>The built-in functions: names, arities and meanings (shared by both evaluators).</summary>
internal static class Functions
{
    public const string Allowed = "min, max, abs, sqrt, log, coalesce";

    public static bool TryGet(string name, out FunctionId id, out int minArity, out int maxArity)
    {
        (id, minArity, maxArity) = name switch
        {
            "min" => (FunctionId.Min, 2, int.MaxValue),
            "max" => (FunctionId.Max, 2, int.MaxValue),
            "abs" => (FunctionId.Abs, 1, 1),
            "sqrt" => (FunctionId.Sqrt, 1, 1),
            "log" => (FunctionId.Log, 1, 1),
            "coalesce" => (FunctionId.Coalesce, 1, int.MaxValue),
            _ => ((FunctionId)(-1), -1, -1),
        };
        return minArity >= 0;
    }

    /// <summary>abs, sqrt and log (natural): a number in, a number out; anything else, or a result that is not finite, is null.</summary>
    public static Value Unary(FunctionId id, in Value argument)
    {
        if (argument.Kind != ValueKind.Number)
        {
            return Value.Null;
        }

        var x = argument.RawNumber;
        return id switch
        {
            FunctionId.Abs => Value.FromNumber(Math.Abs(x)),
            FunctionId.Sqrt => Value.FromNumber(Math.Sqrt(x)),
            _ => Value.FromNumber(Math.Log(x)),
        };
    }

    /// <summary>One step of min/max: null when either side is not a number.</summary>
    public static Value MinMax(FunctionId id, in Value accumulated, in Value next)
    {
        if (accumulated.Kind != ValueKind.Number || next.Kind != ValueKind.Number)
        {
            return Value.Null;
        }

        return id == FunctionId.Min
            ? Value.FromNumber(Math.Min(accumulated.RawNumber, next.RawNumber))
            : Value.FromNumber(Math.Max(accumulated.RawNumber, next.RawNumber));
    }
}
