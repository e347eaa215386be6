using AnalyticsHub.Events;

namespace AnalyticsHub.Metadata;

/// <summary>One page of a registry list, in id order.</summary>
/// <typeparam name="T">The document's record.</typeparam>
public sealed record MetadataList<T>
    where T : class
{
    /// <summary>The documents of this page (their latest revisions).</summary>
    public IReadOnlyList<MetadataEntry<T>> Items { get; init; } = [];

    /// <summary>The number of documents matching, paging aside.</summary>
    public long TotalCount { get; init; }

    /// <summary>Pass it as the cursor of the same list to get the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }

    /// <summary>Why the list was refused (unknown filter, bad limit or cursor), with codes and paths; empty when it ran.</summary>
    public IReadOnlyList<Problem> Problems { get; init; } = [];
}
