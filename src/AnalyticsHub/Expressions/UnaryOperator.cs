namespace AnalyticsHub.Expressions;

/// <summary>A prefix operator.</summary>
public enum UnaryOperator
{
    /// <summary><c>-x</c>: arithmetic negation.</summary>
    Negate,

    /// <summary><c>!x</c>: logical not.</summary>
    Not,
}
