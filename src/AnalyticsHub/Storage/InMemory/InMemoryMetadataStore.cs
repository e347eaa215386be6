using AnalyticsHub.Metadata;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>The reference <see cref="IMetadataStore"/>: every revision of every document in memory, behind one lock.</summary>
/// <remarks>Thread-safe; writes are atomic. Revisions are never dropped, so memory grows with the number of writes.</remarks>
public sealed class InMemoryMetadataStore : IMetadataStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(MetadataKind Kind, string Id), List<MetadataRecord>> _documents = [];
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock that stamps <see cref="MetadataRecord.RecordedAt"/>; the system clock by default.</param>
    public InMemoryMetadataStore(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public ValueTask<MetadataStoreResult> CreateAsync(MetadataWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_documents.TryGetValue((write.Kind, write.Id), out var existing))
            {
                return new(MetadataStoreResult.Refused(MetadataWriteStatus.AlreadyExists, write.Kind, write.Id, existing[^1]));
            }

            var record = Record(write.Kind, write.Id, 1, false, write.Document, write.Index);
            _documents[(write.Kind, write.Id)] = [record];
            return new(MetadataStoreResult.Written(record));
        }
    }

    /// <inheritdoc/>
    public ValueTask<MetadataStoreResult> UpdateAsync(MetadataWrite write, long expectedRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        cancellationToken.ThrowIfCancellationRequested();
        return new(Append(write.Kind, write.Id, expectedRevision, deletedBefore: false, latest => Record(write.Kind, write.Id, latest.Revision + 1, false, write.Document, write.Index)));
    }

    /// <inheritdoc/>
    public ValueTask<MetadataStoreResult> DeleteAsync(MetadataKind kind, string id, long expectedRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return new(Append(kind, id, expectedRevision, deletedBefore: false, latest => Record(kind, id, latest.Revision + 1, true, latest.Document, latest.Index)));
    }

    /// <inheritdoc/>
    public ValueTask<MetadataStoreResult> RestoreAsync(MetadataKind kind, string id, long expectedRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return new(Append(kind, id, expectedRevision, deletedBefore: true, latest => Record(kind, id, latest.Revision + 1, false, latest.Document, latest.Index)));
    }

    /// <inheritdoc/>
    public ValueTask<MetadataRecord?> GetAsync(MetadataKind kind, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(_documents.TryGetValue((kind, id), out var revisions) ? revisions[^1] : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<MetadataRecord>> GetHistoryAsync(MetadataKind kind, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(_documents.TryGetValue((kind, id), out var revisions) ? [.. revisions] : []);
        }
    }

    /// <inheritdoc/>
    public ValueTask<MetadataPage> ListAsync(MetadataQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (query.Validate() is { Count: > 0 } problems)
        {
            return new(new MetadataPage { Problems = problems });
        }

        List<MetadataRecord> matching;
        lock (_gate)
        {
            matching = [.. _documents.Values.Select(r => r[^1]).Where(query.Matches)];
        }

        matching.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var page = matching.Where(r => query.IsAfterCursor(r.Id)).Take(query.Limit + 1).ToList();
        var more = page.Count > query.Limit;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return new(new MetadataPage
        {
            Items = page,
            TotalCount = matching.Count,
            NextCursor = more ? query.NextCursorAfter(page[^1].Id) : null,
        });
    }

    private MetadataStoreResult Append(MetadataKind kind, string id, long expectedRevision, bool deletedBefore, Func<MetadataRecord, MetadataRecord> next)
    {
        lock (_gate)
        {
            if (!_documents.TryGetValue((kind, id), out var revisions))
            {
                return MetadataStoreResult.Refused(MetadataWriteStatus.NotFound, kind, id, null);
            }

            var latest = revisions[^1];
            if (latest.Revision != expectedRevision)
            {
                return MetadataStoreResult.Refused(MetadataWriteStatus.RevisionConflict, kind, id, latest, expectedRevision);
            }

            if (latest.IsDeleted != deletedBefore)
            {
                return MetadataStoreResult.Refused(deletedBefore ? MetadataWriteStatus.NotDeleted : MetadataWriteStatus.Deleted, kind, id, latest);
            }

            var record = next(latest);
            revisions.Add(record);
            return MetadataStoreResult.Written(record);
        }
    }

    private MetadataRecord Record(MetadataKind kind, string id, long revision, bool deleted, ReadOnlyMemory<byte> document, IReadOnlyDictionary<string, string> index) => new()
    {
        Kind = kind,
        Id = id,
        Revision = revision,
        IsDeleted = deleted,
        RecordedAt = _timeProvider.GetUtcNow(),
        Document = document.ToArray(),
        Index = new Dictionary<string, string>(index, StringComparer.Ordinal),
    };
}
