using AnalyticsHub.Events;

namespace AnalyticsHub.Metadata;

/// <summary>One page of a <see cref="MetadataQuery"/>: the latest revision of each matching document, in id order.</summary>
public sealed record MetadataPage
{
    /// <summary>The documents of this page.</summary>
    public IReadOnlyList<MetadataRecord> Items { get; init; } = [];

    /// <summary>The number of documents matching the query, paging aside.</summary>
    public long TotalCount { get; init; }

    /// <summary>Where the next page starts; null on the last page.</summary>
    public string? NextCursor { get; init; }

    /// <summary>Why the query was refused, with codes and paths; empty when it ran.</summary>
    public IReadOnlyList<Problem> Problems { get; init; } = [];
}
