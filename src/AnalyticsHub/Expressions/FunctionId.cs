namespace AnalyticsHub.Expressions;

/// <summary>The built-in functions.</summary>
internal enum FunctionId
{
    Min,
    Max,
    Abs,
    Sqrt,
    Log,
    Coalesce,
}
