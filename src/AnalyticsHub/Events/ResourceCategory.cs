namespace AnalyticsHub.Events;

/// <summary>The category of a <see cref="ResourceType"/>; <see cref="Other"/> carries a free-text name.</summary>
public enum ResourceCategory
{
    /// <summary><c>compute</c>.</summary>
    Compute,

    /// <summary><c>storage</c>.</summary>
    Storage,

    /// <summary><c>network</c>.</summary>
    Network,

    /// <summary><c>memory</c>.</summary>
    Memory,

    /// <summary><c>gpu</c>.</summary>
    Gpu,

    /// <summary>Any other value, written as <c>{"other": "..."}</c>.</summary>
    Other,
}
