using System.Globalization;
using System.Text;

namespace AnalyticsHub.Expressions;

/// <summary>Prints syntax trees as canonical text with the fewest parentheses that keep the tree's shape.</summary>
internal static class ExpressionPrinter
{
    private const int LevelOr = 1;
    private const int LevelAnd = 2;
    private const int LevelEquality = 3;
    private const int LevelRelation = 4;
    private const int LevelAdditive = 5;
    private const int LevelMultiplicative = 6;
    private const int LevelUnary = 7;
    private const int LevelPrimary = 8;

    public static string Print(ExpressionNode node)
    {
        var sb = new StringBuilder();
        Write(sb, node, LevelOr);
        return sb.ToString();
    }

    public static string Print(string? name, ExpressionNode node) => name is null ? Print(node) : name + " = " + Print(node);

    private static int Level(ExpressionNode node) => node switch
    {
        BinaryNode b => Level(b.Operator),
        InNode => LevelRelation,
        UnaryNode => LevelUnary,
        LiteralNode { Value: { Kind: ValueKind.Number, Number: < 0 } } => LevelUnary,
        _ => LevelPrimary,
    };

    private static int Level(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => LevelOr,
        BinaryOperator.And => LevelAnd,
        BinaryOperator.Equal or BinaryOperator.NotEqual => LevelEquality,
        BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual => LevelRelation,
        BinaryOperator.Add or BinaryOperator.Subtract => LevelAdditive,
        _ => LevelMultiplicative,
    };

    /// <summary>Writes <paramref name="node"/>, in parentheses when it binds looser than <paramref name="minLevel"/>.</summary>
    private static void Write(StringBuilder sb, ExpressionNode node, int minLevel)
    {
        var parenthesize = Level(node) < minLevel;
        if (parenthesize)
        {
            sb.Append('(');
        }

        switch (node)
        {
            case LiteralNode literal:
                WriteLiteral(sb, literal.Value);
                break;
            case FieldNode field:
                WritePath(sb, field.Segments);
                break;
            case UnaryNode unary:
                sb.Append(unary.Operator == UnaryOperator.Negate ? '-' : '!');
                Write(sb, unary.Operand, LevelUnary);
                break;
            case BinaryNode binary:
                {
                    var level = Level(binary.Operator);
                    Write(sb, binary.Left, level);
                    sb.Append(' ').Append(Symbol(binary.Operator)).Append(' ');
                    Write(sb, binary.Right, level + 1);
                    break;
                }

            case InNode inNode:
                Write(sb, inNode.Operand, LevelRelation);
                sb.Append(" in ");
                WriteList(sb, '[', inNode.Items, ']');
                break;
            case CallNode call:
                sb.Append(call.Function);
                WriteList(sb, '(', call.Arguments, ')');
                break;
        }

        if (parenthesize)
        {
            sb.Append(')');
        }
    }

    private static void WriteList(StringBuilder sb, char open, IReadOnlyList<ExpressionNode> items, char close)
    {
        sb.Append(open);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            Write(sb, items[i], LevelOr);
        }

        sb.Append(close);
    }

    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "||",
        BinaryOperator.And => "&&",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        _ => "%",
    };

    private static void WriteLiteral(StringBuilder sb, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Number:
                sb.Append(value.Number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case ValueKind.String:
                WriteString(sb, value.String!);
                break;
            default:
                sb.Append(value.ToString());
                break;
        }
    }

    private static void WritePath(StringBuilder sb, IReadOnlyList<string> segments)
    {
        sb.Append(segments[0]);
        for (var i = 1; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (IsIdentifier(segment))
            {
                sb.Append('.').Append(segment);
            }
            else
            {
                sb.Append('[');
                WriteString(sb, segment);
                sb.Append(']');
            }
        }
    }

    internal static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !Parser.IsIdentifierStart(text[0]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (!Parser.IsIdentifierPart(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteString(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (char.IsControl(c) || char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
