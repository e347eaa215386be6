namespace AnalyticsHub.Events;

/// <summary>How serious an event is; ordered, so <c>severity &gt;= Warning</c> is meaningful (wire form: lowercase).</summary>
public enum Severity
{
    /// <summary><c>debug</c> (0).</summary>
    Debug = 0,

    /// <summary><c>info</c> (1).</summary>
    Info = 1,

    /// <summary><c>warning</c> (2).</summary>
    Warning = 2,

    /// <summary><c>error</c> (3).</summary>
    Error = 3,

    /// <summary><c>critical</c> (4).</summary>
    Critical = 4,
}
