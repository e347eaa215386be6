namespace AnalyticsHub.Events;

/// <summary>How serious a policy violation is; ordered low &lt; medium &lt; high &lt; critical (wire form: lowercase).</summary>
public enum PolicyViolationSeverity
{
    /// <summary><c>low</c>.</summary>
    Low,

    /// <summary><c>medium</c>.</summary>
    Medium,

    /// <summary><c>high</c>.</summary>
    High,

    /// <summary><c>critical</c>.</summary>
    Critical,
}
