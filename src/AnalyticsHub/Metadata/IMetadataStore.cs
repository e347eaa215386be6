namespace AnalyticsHub.Metadata;

/// <summary>
/// Where metadata documents live — assets, dashboards, user preferences (and the policies that will follow) — each kept
/// with every revision: create, read, update with optimistic concurrency on the store's revision, soft delete and
/// restore, list with filters and keyset paging, history.
/// </summary>
/// <remarks>
/// <para>
/// A backend does I/O only; what the documents mean (their JSON, validation, the filter values) lives in
/// <see cref="MetadataRegistry"/>, so every backend stores the same. Every write is atomic: it either adds exactly one
/// revision or changes nothing. A refused write is a result, never an exception: <see cref="MetadataStoreResult.Status"/>
/// says why and carries the stored revision. Thread-safe.
/// </para>
/// <para>
/// The in-memory backend is <c>Storage.InMemory.InMemoryMetadataStore</c>; the contract tests in the repository's test
/// project (<c>MetadataStoreContractTests</c>) state the behaviour every backend shares.
/// </para>
/// </remarks>
public interface IMetadataStore
{
    /// <summary>Stores revision 1 of a new document; refused with <see cref="MetadataWriteStatus.AlreadyExists"/> when the id is taken (also by a soft-deleted one).</summary>
    ValueTask<MetadataStoreResult> CreateAsync(MetadataWrite write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the next revision of a document when its latest revision is <paramref name="expectedRevision"/>; refused
    /// with <see cref="MetadataWriteStatus.RevisionConflict"/> (nothing overwritten) when it is not,
    /// <see cref="MetadataWriteStatus.NotFound"/> or <see cref="MetadataWriteStatus.Deleted"/>.
    /// </summary>
    ValueTask<MetadataStoreResult> UpdateAsync(MetadataWrite write, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes a document: the next revision, with the same document, marked deleted; same refusals as an update.</summary>
    ValueTask<MetadataStoreResult> DeleteAsync(MetadataKind kind, string id, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>Restores a soft-deleted document: the next revision, with the same document, live again; refused with <see cref="MetadataWriteStatus.NotDeleted"/> for a live one.</summary>
    ValueTask<MetadataStoreResult> RestoreAsync(MetadataKind kind, string id, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>The latest revision of a document (soft-deleted ones too, marked), or null when there is none.</summary>
    ValueTask<MetadataRecord?> GetAsync(MetadataKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>Every revision of a document, oldest first; empty when there is none.</summary>
    ValueTask<IReadOnlyList<MetadataRecord>> GetHistoryAsync(MetadataKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>One page of the latest revisions matching a query; an invalid query comes back with its problems and no items.</summary>
    ValueTask<MetadataPage> ListAsync(MetadataQuery query, CancellationToken cancellationToken = default);
}
