using System.Text.Json;
using AnalyticsHub.Events;

namespace AnalyticsHub.Metadata;

/// <summary>
/// The documents of one kind (assets, dashboards or user preferences): validated writes with optimistic concurrency,
/// soft delete and restore, reads, history and filtered lists, over the registry's <see cref="IMetadataStore"/>.
/// </summary>
/// <typeparam name="T">The document's record.</typeparam>
/// <remarks>
/// A write is validated first (errors refuse it, with codes and JSON paths; warnings come back with the result), then
/// stamped (<c>updated_at</c> from the registry's clock, <c>created_at</c> kept from the first revision), then stored.
/// An update, delete or restore names the revision it was based on; a stale one is refused with
/// <see cref="MetadataWriteStatus.RevisionConflict"/> and nothing is overwritten. Thread-safe.
/// </remarks>
public sealed class MetadataCollection<T>
    where T : class
{
    private readonly IMetadataStore _store;
    private readonly MetadataDocumentType<T> _type;
    private readonly MetadataValidator _validator;
    private readonly TimeProvider _clock;
    private readonly Func<MetadataEntry<T>, CancellationToken, ValueTask>? _changed;

    internal MetadataCollection(IMetadataStore store, MetadataDocumentType<T> type, MetadataValidator validator, TimeProvider clock, Func<MetadataEntry<T>, CancellationToken, ValueTask>? changed = null)
    {
        _store = store;
        _type = type;
        _validator = validator;
        _clock = clock;
        _changed = changed;
    }

    /// <summary>The kind of document this collection holds.</summary>
    public MetadataKind Kind => _type.Kind;

    /// <summary>Checks a document without storing it.</summary>
    /// <returns>Every problem, errors and warnings, with codes and JSON paths from the document's root.</returns>
    public IReadOnlyList<Problem> Validate(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var problems = new List<Problem>();
        _type.Validate(item, _validator, problems);
        return problems;
    }

    /// <summary>Stores a new document as revision 1.</summary>
    /// <returns><see cref="MetadataWriteStatus.Succeeded"/>, <see cref="MetadataWriteStatus.Invalid"/> or <see cref="MetadataWriteStatus.AlreadyExists"/>.</returns>
    public async ValueTask<MetadataResult<T>> CreateAsync(T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var problems = Validate(item);
        if (problems.Any(p => p.IsError))
        {
            return Invalid(problems);
        }

        var stamped = _type.Stamp(item, null, _clock.GetUtcNow());
        var result = await _store.CreateAsync(Write(stamped), cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(result, problems, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the next revision of a document whose latest revision is <paramref name="expectedRevision"/>.</summary>
    /// <returns>
    /// <see cref="MetadataWriteStatus.Succeeded"/>, <see cref="MetadataWriteStatus.Invalid"/>, <see cref="MetadataWriteStatus.NotFound"/>,
    /// <see cref="MetadataWriteStatus.RevisionConflict"/> (the entry holds the stored revision) or <see cref="MetadataWriteStatus.Deleted"/>.
    /// </returns>
    public async ValueTask<MetadataResult<T>> UpdateAsync(T item, long expectedRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var problems = Validate(item);
        if (problems.Any(p => p.IsError))
        {
            return Invalid(problems);
        }

        var id = _type.IdOf(item);
        var current = await _store.GetAsync(Kind, id, cancellationToken).ConfigureAwait(false);
        var previous = current is null ? null : Read(current.Document);
        var stamped = _type.Stamp(item, previous, _clock.GetUtcNow());
        var result = await _store.UpdateAsync(Write(stamped), expectedRevision, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(result, problems, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Soft-deletes a document whose latest revision is <paramref name="expectedRevision"/>; it stays readable and restorable.</summary>
    public async ValueTask<MetadataResult<T>> DeleteAsync(string id, long expectedRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var result = await _store.DeleteAsync(Kind, id, expectedRevision, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(result, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Restores a soft-deleted document whose latest revision is <paramref name="expectedRevision"/>.</summary>
    public async ValueTask<MetadataResult<T>> RestoreAsync(string id, long expectedRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var result = await _store.RestoreAsync(Kind, id, expectedRevision, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(result, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest revision of a document (a soft-deleted one too, marked), or null when there is none.</summary>
    public async ValueTask<MetadataEntry<T>?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var record = await _store.GetAsync(Kind, id, cancellationToken).ConfigureAwait(false);
        return record is null ? null : Entry(record);
    }

    /// <summary>Every revision of a document, oldest first: what it was, when, and which revisions were deletes and restores.</summary>
    public async ValueTask<IReadOnlyList<MetadataEntry<T>>> GetHistoryAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var records = await _store.GetHistoryAsync(Kind, id, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(Entry)];
    }

    /// <summary>One page of the documents matching every filter, in id order.</summary>
    /// <param name="filters">
    /// Exact matches on the kind's filter keys (docs/metadata.md lists them), e.g. <c>status</c> = <c>deprecated</c> or
    /// <c>tag.team</c> = <c>search</c>; none when null.
    /// </param>
    /// <param name="limit">Documents per page, 1..1000.</param>
    /// <param name="cursor">The <see cref="MetadataList{T}.NextCursor"/> of the previous page of the same list.</param>
    /// <param name="includeDeleted">Whether soft-deleted documents are listed too.</param>
    /// <param name="cancellationToken">Cancels the list.</param>
    public async ValueTask<MetadataList<T>> ListAsync(IReadOnlyDictionary<string, string>? filters = null, int limit = 50, string? cursor = null, bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        var problems = new List<Problem>();
        foreach (var key in filters?.Keys ?? [])
        {
            if (!_type.FilterKeys.Contains(key) && !_type.FilterPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal) && key.Length > p.Length))
            {
                var known = _type.FilterKeys.Order(StringComparer.Ordinal).Concat(_type.FilterPrefixes.Select(p => p + "<key>"));
                problems.Add(new(ProblemCodes.UnknownFilter, "filters." + key, $"{JsonNamingPolicy.SnakeCaseLower.ConvertName(Kind.ToString())} documents have no filter '{key}'; use one of: {string.Join(", ", known)}."));
            }
        }

        if (problems.Count > 0)
        {
            return new MetadataList<T> { Problems = problems };
        }

        var page = await _store.ListAsync(new MetadataQuery { Kind = Kind, Filters = filters, Limit = limit, Cursor = cursor, IncludeDeleted = includeDeleted }, cancellationToken).ConfigureAwait(false);
        return new MetadataList<T>
        {
            Items = [.. page.Items.Select(Entry)],
            TotalCount = page.TotalCount,
            NextCursor = page.NextCursor,
            Problems = page.Problems,
        };
    }

    /// <summary>Every live document matching the filters, read page by page (for the registry's views of models and policies).</summary>
    internal async ValueTask<List<MetadataEntry<T>>> ListAllAsync(IReadOnlyDictionary<string, string>? filters, CancellationToken cancellationToken)
    {
        var all = new List<MetadataEntry<T>>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(filters, 1000, cursor, includeDeleted: false, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return all;
    }

    /// <summary>
    /// Replaces a view kept by id with the entries read from the store, except where the view holds a newer revision (a
    /// write of this process that landed while the pages were read).
    /// </summary>
    internal void ReplaceKeepingNewer(Dictionary<string, MetadataEntry<T>> view, IEnumerable<MetadataEntry<T>> read)
    {
        var fresh = read.ToDictionary(e => _type.IdOf(e.Item), StringComparer.Ordinal);
        foreach (var (id, known) in view)
        {
            if (fresh.TryGetValue(id, out var entry) && entry.Revision < known.Revision)
            {
                fresh[id] = known;
            }
        }

        view.Clear();
        foreach (var (id, entry) in fresh)
        {
            view[id] = entry;
        }
    }

    internal MetadataEntry<T> Entry(MetadataRecord record)
    {
        var item = Read(record.Document);
        return new MetadataEntry<T>
        {
            Item = record.IsDeleted ? _type.AsDeleted(item) : item,
            Revision = record.Revision,
            IsDeleted = record.IsDeleted,
            RecordedAt = record.RecordedAt,
        };
    }

    private T Read(ReadOnlyMemory<byte> document) =>
        JsonSerializer.Deserialize(document.Span, _type.Json) ?? throw new InvalidDataException($"The store holds a null {Kind} document.");

    private MetadataWrite Write(T item) => new()
    {
        Kind = Kind,
        Id = _type.IdOf(item),
        Document = JsonSerializer.SerializeToUtf8Bytes(item, _type.Json),
        Index = _type.Index(item),
    };

    private async ValueTask<MetadataResult<T>> CompleteAsync(MetadataStoreResult result, IReadOnlyList<Problem> warnings, CancellationToken cancellationToken)
    {
        var entry = result.Record is null ? null : Entry(result.Record);
        if (result.IsSuccess && _changed is not null)
        {
            await _changed(entry!, cancellationToken).ConfigureAwait(false);
        }

        return new MetadataResult<T>
        {
            Status = result.Status,
            Entry = entry,
            Problems = result.IsSuccess ? warnings : result.Problems,
        };
    }

    private static MetadataResult<T> Invalid(IReadOnlyList<Problem> problems) => new() { Status = MetadataWriteStatus.Invalid, Problems = problems };
}
