namespace AnalyticsHub.Metadata;

/// <summary>One revision of a document as the registry hands it out: the record and the store's bookkeeping.</summary>
/// <typeparam name="T">The document's record.</typeparam>
public sealed record MetadataEntry<T>
    where T : class
{
    /// <summary>The document; for a soft-deleted asset, with status <c>deleted</c>.</summary>
    public required T Item { get; init; }

    /// <summary>The store's revision: pass it to the next update, delete or restore.</summary>
    public required long Revision { get; init; }

    /// <summary>Whether this revision is soft-deleted.</summary>
    public required bool IsDeleted { get; init; }

    /// <summary>When the store wrote this revision.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The revision as an HTTP entity tag, e.g. <c>"3"</c>.</summary>
    public string ETag => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\"{Revision}\"");
}
