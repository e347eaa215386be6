namespace AnalyticsHub.Expressions;

/// <summary>A node of a parsed expression's syntax tree.</summary>
public abstract class ExpressionNode
{
    private protected ExpressionNode(int position, int height)
    {
        Position = position;
        Height = height;
    }

    /// <summary>The zero-based offset in the text where the node starts (for an operator: the operator).</summary>
    public int Position { get; }

    /// <summary>The height of the subtree: 1 for a leaf.</summary>
    public int Height { get; }

    /// <summary>The node printed as canonical expression text that parses back to an equal tree.</summary>
    public override string ToString() => ExpressionPrinter.Print(this);
}
