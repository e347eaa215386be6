namespace AnalyticsHub.Events;

/// <summary>How far a budget has been consumed (wire form: snake_case).</summary>
public enum BudgetAlertType
{
    /// <summary><c>warning</c>.</summary>
    Warning,

    /// <summary><c>critical</c>.</summary>
    Critical,

    /// <summary><c>exceeded</c>.</summary>
    Exceeded,
}
