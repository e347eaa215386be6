namespace AnalyticsHub.Expressions;

/// <summary>A literal: a number, a string, <c>true</c>, <c>false</c> or <c>null</c>.</summary>
public sealed class LiteralNode : ExpressionNode
{
    /// <summary>Creates a literal node.</summary>
    /// <param name="value">The literal's value (not an enum value).</param>
    /// <param name="position">Where the literal starts in the text.</param>
    public LiteralNode(Value value, int position = 0)
        : base(position, 1)
    {
        if (value.Kind == ValueKind.Enum)
        {
            throw new ArgumentException("Enum values have no literal; write their wire name as a string.", nameof(value));
        }

        Value = value;
    }

    /// <summary>The literal's value.</summary>
    public Value Value { get; }
}
