namespace AnalyticsHub.Expressions;

/// <summary>An infix operator applied to two operands.</summary>
public sealed class BinaryNode : ExpressionNode
{
    /// <summary>Creates a binary node.</summary>
    /// <param name="operator">The operator.</param>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <param name="position">Where the operator is in the text.</param>
    public BinaryNode(BinaryOperator @operator, ExpressionNode left, ExpressionNode right, int position = 0)
        : base(position, Math.Max(
            (left ?? throw new ArgumentNullException(nameof(left))).Height,
            (right ?? throw new ArgumentNullException(nameof(right))).Height) + 1)
    {
        Operator = @operator;
        Left = left;
        Right = right;
    }

    /// <summary>The operator.</summary>
    public BinaryOperator Operator { get; }

    /// <summary>The left operand.</summary>
    public ExpressionNode Left { get; }

    /// <summary>The right operand.</summary>
    public ExpressionNode Right { get; }
}
