namespace AnalyticsHub.Events;

/// <summary>What a data-lineage step did to a data asset (wire form: snake_case).</summary>
public enum DataOperation
{
    /// <summary><c>create</c>.</summary>
    Create,

    /// <summary><c>read</c>.</summary>
    Read,

    /// <summary><c>update</c>.</summary>
    Update,

    /// <summary><c>delete</c>.</summary>
    Delete,

    /// <summary><c>transform</c>.</summary>
    Transform,

    /// <summary><c>aggregate</c>.</summary>
    Aggregate,
}
