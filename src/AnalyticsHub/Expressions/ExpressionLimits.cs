namespace AnalyticsHub.Expressions;

/// <summary>Bounds that make hostile expression text fail cleanly and fast instead of exhausting the stack or memory.</summary>
public sealed record ExpressionLimits
{
    /// <summary>The defaults: 4,096 characters, depth 64, tree height 256, strings of 1,024 characters, numbers of 64 characters, lists of 256 items.</summary>
    public static ExpressionLimits Default { get; } = new();

    /// <summary>The longest text accepted, in UTF-16 characters.</summary>
    public int MaxLength { get; init; } = 4096;

    /// <summary>How deep parentheses, unary operators, calls and lists may nest.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The tallest syntax tree accepted, counting chains of binary operators such as <c>a + b + c</c>.</summary>
    public int MaxTreeHeight { get; init; } = 256;

    /// <summary>The longest string literal, in characters after unescaping.</summary>
    public int MaxStringLength { get; init; } = 1024;

    /// <summary>The longest number literal, in characters.</summary>
    public int MaxNumberLength { get; init; } = 64;

    /// <summary>The most items in an <c>in [...]</c> list or arguments in a call.</summary>
    public int MaxListLength { get; init; } = 256;
}
