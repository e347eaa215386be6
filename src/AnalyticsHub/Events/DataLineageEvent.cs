namespace AnalyticsHub.Events;

/// <summary>A step in the lineage of a data asset.</summary>
public sealed record DataLineageEvent : GovernancePayload
{
    /// <inheritdoc/>
    public override GovernanceType GovernanceType => GovernanceType.DataLineage;

    /// <summary>The data asset.</summary>
    public required string DataAssetId { get; init; }

    /// <summary>What was done to it.</summary>
    public required DataOperation Operation { get; init; }

    /// <summary>Where the data came from.</summary>
    public string? Source { get; init; }

    /// <summary>Where the data went.</summary>
    public string? Destination { get; init; }

    /// <summary>How it was transformed.</summary>
    public string? Transformation { get; init; }

    /// <summary>The assets along the lineage path.</summary>
    public IReadOnlyList<string> LineagePath { get; init; } = [];
}
