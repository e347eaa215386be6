using System.Globalization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// Checks a syntax tree statically (fields, functions, arities, operand types, enum names) and
/// builds the tree of <see cref="EvalNode"/>s that evaluates it. Collects every error it finds.
/// </summary>
internal sealed class Compiler
{
    private readonly Expression _expression;
    private readonly CompileOptions _options;
    private readonly List<Problem> _errors = [];

    private Compiler(Expression expression, CompileOptions options)
    {
        _expression = expression;
        _options = options;
    }

    public static ExpressionResult<CompiledExpression> Compile(Expression expression, CompileOptions options)
    {
        var compiler = new Compiler(expression, options);
        if (options.PayloadKind is { } kind && !FieldCatalog.IsPayloadKind(kind))
        {
            compiler.Error(0, ProblemCodes.UnknownPayloadKind,
                $"'{kind}' is not a payload kind; use one of: {FieldCatalog.AllowedKinds}.");
            return new(null, compiler._errors);
        }

        var (node, type) = compiler.Build(expression.Root);
        if (compiler._errors.Count > 0)
        {
            compiler._errors.Sort(static (a, b) => a.Location!.Value.Position.CompareTo(b.Location!.Value.Position));
            return new(null, compiler._errors);
        }

        return new(new CompiledExpression(expression, node, type.IsAny ? null : type.Kind), []);
    }

    private void Error(int position, string code, string message) =>
        _errors.Add(ExpressionProblems.At(_expression.Text, position, code, message));

    private (EvalNode Node, StaticType Type) Build(ExpressionNode node)
    {
        var (built, type) = node switch
        {
            LiteralNode literal => (new EvalNode.Constant(literal.Value), TypeOf(literal.Value)),
            FieldNode field => BuildField(field),
            UnaryNode unary => BuildUnary(unary),
            BinaryNode binary => BuildBinary(binary),
            InNode inNode => BuildIn(inNode),
            CallNode call => BuildCall(call),
            _ => throw new ArgumentOutOfRangeException(nameof(node)),
        };

        // Fold subtrees that read no field: evaluate them once, now, with the reference semantics.
        if (built is not EvalNode.Constant && IsConstant(node))
        {
            var value = Interpreter.Evaluate(node, null, null);
            return (new EvalNode.Constant(value), type);
        }

        return (built, type);
    }

    private static bool IsConstant(ExpressionNode node) => node switch
    {
        LiteralNode => true,
        FieldNode => false,
        UnaryNode u => IsConstant(u.Operand),
        BinaryNode b => IsConstant(b.Left) && IsConstant(b.Right),
        InNode i => IsConstant(i.Operand) && AllConstant(i.Items),
        CallNode c => AllConstant(c.Arguments),
        _ => false,
    };

    private static bool AllConstant(IReadOnlyList<ExpressionNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (!IsConstant(node))
            {
                return false;
            }
        }

        return true;
    }

    private static StaticType TypeOf(Value value) => value.Kind switch
    {
        ValueKind.Null => StaticType.Null,
        ValueKind.Number => StaticType.Number,
        ValueKind.String => StaticType.String,
        ValueKind.Boolean => StaticType.Boolean,
        _ => StaticType.Enum(value.Domain!),
    };

    private (EvalNode, StaticType) BuildField(FieldNode field)
    {
        var binding = FieldCatalog.Resolve(field, _options.Variables, _options.PayloadKind);
        if (binding is null)
        {
            var scope = _options.PayloadKind is { } kind ? $" in payload kind '{kind}'" : string.Empty;
            Error(field.Position, ProblemCodes.UnknownField,
                $"Unknown field '{field.Path}'{scope}; use a common field (severity, source_module, event_type, environment, timestamp, schema_version), tags.KEY, payload.payload_type, payload.data.FIELD or a declared variable.");
            return (new EvalNode.Constant(Value.Null), StaticType.Any);
        }

        EvalNode node = binding.Kind switch
        {
            FieldBindingKind.Variable => new EvalNode.Variable(binding.Slot),
            FieldBindingKind.Common => new EvalNode.CommonField(binding.Common!),
            FieldBindingKind.Tag => new EvalNode.Tag(binding.Key!),
            FieldBindingKind.Payload => new EvalNode.PayloadField(binding.Accessors!),
            _ => new EvalNode.PayloadMapEntry(binding.Accessors!, binding.Key!),
        };
        return (node, binding.Type);
    }

    private (EvalNode, StaticType) BuildUnary(UnaryNode unary)
    {
        var (operand, type) = Build(unary.Operand);
        if (unary.Operator == UnaryOperator.Negate)
        {
            Require(type, ValueKind.Number, unary.Operand, "'-'");
            return (new EvalNode.Negate(operand), StaticType.Number);
        }

        Require(type, ValueKind.Boolean, unary.Operand, "'!'");
        return (new EvalNode.Not(operand), StaticType.Boolean);
    }

    private void Require(StaticType type, ValueKind kind, ExpressionNode operand, string what)
    {
        if (!type.Admits(kind))
        {
            var wanted = kind == ValueKind.Number ? "a number" : "a boolean";
            Error(operand.Position, ProblemCodes.TypeMismatch, $"{what} needs {wanted} but this is {type.Describe()}.");
        }
    }

    private (EvalNode, StaticType) BuildBinary(BinaryNode binary)
    {
        var op = binary.Operator;
        var (left, leftType) = Build(binary.Left);
        var (right, rightType) = Build(binary.Right);
        var symbol = "'" + ExpressionPrinter.Symbol(op) + "'";
        switch (op)
        {
            case BinaryOperator.And or BinaryOperator.Or:
                Require(leftType, ValueKind.Boolean, binary.Left, symbol);
                Require(rightType, ValueKind.Boolean, binary.Right, symbol);
                return (op == BinaryOperator.And ? new EvalNode.And(left, right) : new EvalNode.Or(left, right), StaticType.Boolean);
            case BinaryOperator.Equal or BinaryOperator.NotEqual:
                CheckComparable(binary.Position, symbol, binary.Left, leftType, binary.Right, rightType, ordering: false);
                return (BuildEquality(left, leftType, right, rightType, op == BinaryOperator.NotEqual), StaticType.Boolean);
            case BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual:
                CheckComparable(binary.Position, symbol, binary.Left, leftType, binary.Right, rightType, ordering: true);
                return (BuildOrdering(op, left, leftType, right, rightType), StaticType.Boolean);
            default:
                Require(leftType, ValueKind.Number, binary.Left, symbol);
                Require(rightType, ValueKind.Number, binary.Right, symbol);
                return (new EvalNode.Arithmetic(op, left, right), StaticType.Number);
        }
    }

    private static EvalNode BuildEquality(EvalNode left, StaticType leftType, EvalNode right, StaticType rightType, bool negate)
    {
        if (left is EvalNode.Constant && right is not EvalNode.Constant)
        {
            (left, right) = (right, left);
            (leftType, rightType) = (rightType, leftType);
        }

        if (right is EvalNode.Constant { Value: { Kind: ValueKind.String } constant })
        {
            if (leftType is { IsAny: false, Kind: ValueKind.Enum, Domain: { } domain } && domain.TryGetOrdinal(constant.String!, out var ordinal))
            {
                return new EvalNode.EqualEnum(left, domain, ordinal, constant, negate);
            }

            return new EvalNode.EqualString(left, constant, negate);
        }

        return new EvalNode.Equal(left, right, negate);
    }

    private static EvalNode BuildOrdering(BinaryOperator op, EvalNode left, StaticType leftType, EvalNode right, StaticType rightType)
    {
        if (left is EvalNode.Constant && right is not EvalNode.Constant)
        {
            (left, right) = (right, left);
            (leftType, rightType) = (rightType, leftType);
            op = EvalNode.Mirror(op);
        }

        if (right is EvalNode.Constant { Value: var constant })
        {
            if (constant.Kind == ValueKind.Number)
            {
                return new EvalNode.CompareNumber(op, left, constant.RawNumber);
            }

            if (constant.Kind == ValueKind.String
                && leftType is { IsAny: false, Kind: ValueKind.Enum, Domain: { IsOrdered: true } domain }
                && domain.TryGetOrdinal(constant.String!, out var ordinal))
            {
                return new EvalNode.CompareEnum(op, left, domain, ordinal, constant);
            }
        }

        return new EvalNode.Compare(op, left, right);
    }

    /// <summary>Reports operand types that can never be compared, and enum names that do not exist.</summary>
    private void CheckComparable(int position, string symbol, ExpressionNode leftNode, StaticType left, ExpressionNode rightNode, StaticType right, bool ordering)
    {
        if (ordering)
        {
            foreach (var (node, type) in new[] { (leftNode, left), (rightNode, right) })
            {
                if (type is { IsAny: false, Kind: ValueKind.Boolean })
                {
                    Error(node.Position, ProblemCodes.NotOrdered, $"{symbol} cannot order booleans.");
                    return;
                }

                if (type is { IsAny: false, Kind: ValueKind.Enum, Domain.IsOrdered: false })
                {
                    Error(node.Position, ProblemCodes.NotOrdered, $"{symbol} cannot order values of {type.Domain.Name}, which have no order; use == or in [...].");
                    return;
                }
            }
        }

        if (left.IsAny || right.IsAny || left.Kind == ValueKind.Null || right.Kind == ValueKind.Null)
        {
            return;
        }

        if (left.Kind == ValueKind.Enum && right.Kind == ValueKind.Enum)
        {
            if (!ReferenceEquals(left.Domain, right.Domain))
            {
                Error(position, ProblemCodes.TypeMismatch, $"{symbol} compares {left.Describe()} with {right.Describe()}, which never match.");
            }

            return;
        }

        if (left.Kind == ValueKind.Enum && right.Kind == ValueKind.String)
        {
            CheckEnumName(left.Domain!, rightNode);
            return;
        }

        if (left.Kind == ValueKind.String && right.Kind == ValueKind.Enum)
        {
            CheckEnumName(right.Domain!, leftNode);
            return;
        }

        if (left.Kind != right.Kind)
        {
            Error(position, ProblemCodes.TypeMismatch, $"{symbol} compares {left.Describe()} with {right.Describe()}, which never match.");
        }
    }

    private void CheckEnumName(EnumDomain domain, ExpressionNode node)
    {
        if (node is LiteralNode { Value: { Kind: ValueKind.String } literal } && !domain.TryGetOrdinal(literal.String!, out _))
        {
            Error(node.Position, ProblemCodes.UnknownEnumValue,
                $"'{literal.String}' is not a {domain.Name}; use one of: {domain.Allowed}.");
        }
    }

    private (EvalNode, StaticType) BuildIn(InNode inNode)
    {
        var (operand, operandType) = Build(inNode.Operand);
        var items = new EvalNode[inNode.Items.Count];
        var constants = new Value[items.Length];
        var allConstant = true;
        for (var i = 0; i < items.Length; i++)
        {
            var (item, itemType) = Build(inNode.Items[i]);
            CheckComparable(inNode.Items[i].Position, "'in'", inNode.Operand, operandType, inNode.Items[i], itemType, ordering: false);
            items[i] = item;
            if (item is EvalNode.Constant constant)
            {
                constants[i] = constant.Value;
            }
            else
            {
                allConstant = false;
            }
        }

        if (!allConstant)
        {
            return (new EvalNode.In(operand, items), StaticType.Boolean);
        }

        if (operandType is { IsAny: false, Kind: ValueKind.Enum, Domain: { } domain } && domain.Names.Length <= 64)
        {
            var mask = 0UL;
            foreach (var constant in constants)
            {
                if (constant.Kind == ValueKind.String && domain.TryGetOrdinal(constant.String!, out var ordinal))
                {
                    mask |= 1UL << ordinal;
                }
            }

            return (new EvalNode.InEnumMask(operand, domain, mask, constants), StaticType.Boolean);
        }

        return (new EvalNode.InConstants(operand, constants), StaticType.Boolean);
    }

    private (EvalNode, StaticType) BuildCall(CallNode call)
    {
        var arguments = new EvalNode[call.Arguments.Count];
        var types = new StaticType[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            (arguments[i], types[i]) = Build(call.Arguments[i]);
        }

        if (!Functions.TryGet(call.Function, out var id, out var minArity, out var maxArity))
        {
            Error(call.Position, ProblemCodes.UnknownFunction, $"Unknown function '{call.Function}'; the functions are {Functions.Allowed}.");
            return (new EvalNode.Constant(Value.Null), StaticType.Any);
        }

        if (arguments.Length < minArity || arguments.Length > maxArity)
        {
            var expected = minArity == maxArity
                ? minArity.ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"at least {minArity}");
            Error(call.Position, ProblemCodes.WrongArity,
                string.Create(CultureInfo.InvariantCulture, $"'{call.Function}' takes {expected} argument(s) but was given {arguments.Length}."));
            return (new EvalNode.Constant(Value.Null), StaticType.Any);
        }

        if (id == FunctionId.Coalesce)
        {
            StaticType? result = null;
            foreach (var type in types)
            {
                if (!type.IsAny && type.Kind == ValueKind.Null)
                {
                    continue;
                }

                result = result is null || result == type ? type : StaticType.Any;
            }

            return (new EvalNode.Coalesce(arguments), result ?? StaticType.Null);
        }

        for (var i = 0; i < types.Length; i++)
        {
            Require(types[i], ValueKind.Number, call.Arguments[i], "'" + call.Function + "'");
        }

        return id is FunctionId.Min or FunctionId.Max
            ? (new EvalNode.MinMax(id, arguments), StaticType.Number)
            : (new EvalNode.UnaryFunction(id, arguments[0]), StaticType.Number);
    }
}
