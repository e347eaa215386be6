namespace AnalyticsHub.Expressions;

/// <summary>A membership test <c>x in [a, b, c]</c>: true when <c>x == a || x == b || x == c</c>.</summary>
public sealed class InNode : ExpressionNode
{
    /// <summary>Creates a membership node.</summary>
    /// <param name="operand">The value looked for.</param>
    /// <param name="items">The list's items.</param>
    /// <param name="position">Where the <c>in</c> keyword is in the text.</param>
    public InNode(ExpressionNode operand, IReadOnlyList<ExpressionNode> items, int position = 0)
        : base(position, Math.Max((operand ?? throw new ArgumentNullException(nameof(operand))).Height, CallNode.MaxHeight(items)) + 1)
    {
        Operand = operand;
        Items = items;
    }

    /// <summary>The value looked for.</summary>
    public ExpressionNode Operand { get; }

    /// <summary>The list's items.</summary>
    public IReadOnlyList<ExpressionNode> Items { get; }
}
