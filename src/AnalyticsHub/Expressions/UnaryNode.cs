namespace AnalyticsHub.Expressions;

/// <summary>A prefix operator applied to an operand.</summary>
public sealed class UnaryNode : ExpressionNode
{
    /// <summary>Creates a unary node.</summary>
    /// <param name="operator">The operator.</param>
    /// <param name="operand">The operand.</param>
    /// <param name="position">Where the operator is in the text.</param>
    public UnaryNode(UnaryOperator @operator, ExpressionNode operand, int position = 0)
        : base(position, (operand ?? throw new ArgumentNullException(nameof(operand))).Height + 1)
    {
        Operator = @operator;
        Operand = operand;
    }

    /// <summary>The operator.</summary>
    public UnaryOperator Operator { get; }

    /// <summary>The operand.</summary>
    public ExpressionNode Operand { get; }
}
