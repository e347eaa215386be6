namespace AnalyticsHub.Expressions;

/// <summary>An infix operator, from the loosest binding to the tightest: <c>||</c>, <c>&amp;&amp;</c>, equality, ordering, additive, multiplicative.</summary>
public enum BinaryOperator
{
    /// <summary><c>||</c>.</summary>
    Or,

    /// <summary><c>&amp;&amp;</c>.</summary>
    And,

    /// <summary><c>==</c>.</summary>
    Equal,

    /// <summary><c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,

    /// <summary><c>+</c>.</summary>
    Add,

    /// <summary><c>-</c>.</summary>
    Subtract,

    /// <summary><c>*</c>.</summary>
    Multiply,

    /// <summary><c>/</c>.</summary>
    Divide,

    /// <summary><c>%</c>.</summary>
    Modulo,
}
