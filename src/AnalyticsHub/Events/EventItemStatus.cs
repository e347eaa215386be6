namespace AnalyticsHub.Events;

/// <summary>What became of one item of a batch after reading and validation.</summary>
public enum EventItemStatus
{
    /// <summary>Read and valid (warnings may be attached).</summary>
    Accepted,

    /// <summary>Rejected: not readable, or an error-level validation problem. Nothing of it is stored.</summary>
    Invalid,
}
