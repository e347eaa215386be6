namespace AnalyticsHub.Expressions;

/// <summary>What an expression is compiled against: the variables it may name and, optionally, the payload kind it is about.</summary>
public sealed record CompileOptions
{
    /// <summary>The default: no variables, any payload kind.</summary>
    public static CompileOptions Default { get; } = new();

    /// <summary>Variables the expression may name (they win over event fields of the same name); their slots are bound now.</summary>
    public IVariableSource? Variables { get; init; }

    /// <summary>
    /// A payload family (<c>cost</c>) or variant (<c>token_cost</c>) the expression is written for: its
    /// payload fields must exist in that kind, and get that kind's types. <see langword="null"/> allows every kind.
    /// </summary>
    public string? PayloadKind { get; init; }
}
