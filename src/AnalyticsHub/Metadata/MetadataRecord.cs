using System.Globalization;

namespace AnalyticsHub.Metadata;

/// <summary>
/// One revision of one document as the store keeps it: the document's UTF-8 JSON, the values its list filters match,
/// and the store's bookkeeping (revision, soft-delete flag, when it was written).
/// </summary>
public sealed record MetadataRecord
{
    /// <summary>The kind of document.</summary>
    public required MetadataKind Kind { get; init; }

    /// <summary>The document's id, unique within its kind.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The store's revision of the document: 1 when created, one more on every update, delete and restore. Writes name
    /// the revision they were based on, and the store refuses a write based on an older one (optimistic concurrency).
    /// </summary>
    /// <remarks>Not an asset's <c>version</c>, which is its semantic version.</remarks>
    public required long Revision { get; init; }

    /// <summary>Whether this revision is soft-deleted (hidden from lists unless asked for; restorable).</summary>
    public required bool IsDeleted { get; init; }

    /// <summary>When the store wrote this revision, by its clock.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The document as UTF-8 JSON, in the wire format of its kind.</summary>
    public required ReadOnlyMemory<byte> Document { get; init; }

    /// <summary>The values list filters match (e.g. <c>asset_type</c>, <c>status</c>, <c>tag.team</c>), computed from the document.</summary>
    public required IReadOnlyDictionary<string, string> Index { get; init; }

    /// <summary>The revision as an HTTP entity tag, e.g. <c>"3"</c>.</summary>
    public string ETag => string.Create(CultureInfo.InvariantCulture, $"\"{Revision}\"");
}
