namespace AnalyticsHub.Expressions;

/// <summary>A function call such as <c>max(a, b)</c>.</summary>
public sealed class CallNode : ExpressionNode
{
    /// <summary>Creates a call node.</summary>
    /// <param name="function">The function's name as written.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="position">Where the function's name starts in the text.</param>
    public CallNode(string function, IReadOnlyList<ExpressionNode> arguments, int position = 0)
        : base(position, MaxHeight(arguments) + 1)
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;
        Arguments = arguments;
    }

    /// <summary>The function's name as written.</summary>
    public string Function { get; }

    /// <summary>The arguments.</summary>
    public IReadOnlyList<ExpressionNode> Arguments { get; }

    internal static int MaxHeight(IReadOnlyList<ExpressionNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var height = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            height = Math.Max(height, nodes[i].Height);
        }

        return height;
    }
}
