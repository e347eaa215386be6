using System.Text.Json.Serialization.Metadata;
using AnalyticsHub.Events;

namespace AnalyticsHub.Metadata;

/// <summary>
/// What the registry knows about one kind of document: its JSON, its id, its rules, the values its list filters match,
/// and how a write stamps its timestamps. A new kind (policies) is one more subclass and one more
/// <see cref="MetadataKind"/>; the store and <see cref="MetadataCollection{T}"/> stay as they are.
/// </summary>
/// <typeparam name="T">The document's record.</typeparam>
internal abstract class MetadataDocumentType<T>
    where T : class
{
    /// <summary>The kind the store files it under.</summary>
    public abstract MetadataKind Kind { get; }

    /// <summary>The source-generated JSON of the record.</summary>
    public abstract JsonTypeInfo<T> Json { get; }

    /// <summary>The JSON name of the id field, for problems.</summary>
    public abstract string IdField { get; }

    /// <summary>The filter keys <see cref="Index"/> fills.</summary>
    public abstract IReadOnlySet<string> FilterKeys { get; }

    /// <summary>The prefixes of the filter keys <see cref="Index"/> fills per item of a list or map, e.g. <c>tag.</c>.</summary>
    public virtual IReadOnlyList<string> FilterPrefixes => [];

    /// <summary>The document's id.</summary>
    public abstract string IdOf(T item);

    /// <summary>Adds the document's problems.</summary>
    public abstract void Validate(T item, MetadataValidator validator, List<Problem> problems);

    /// <summary>The values its list filters match.</summary>
    public abstract Dictionary<string, string> Index(T item);

    /// <summary>The document as written: <c>updated_at</c> = <paramref name="now"/>, <c>created_at</c> kept from the first revision (or now).</summary>
    public abstract T Stamp(T item, T? previous, DateTimeOffset now);

    /// <summary>The document as a reader of a soft-deleted revision sees it.</summary>
    public virtual T AsDeleted(T item) => item;

    /// <summary>Adds the owner's filter values (<c>owner</c>, <c>team</c>).</summary>
    protected static void IndexOwner(Dictionary<string, string> index, OwnerInfo? owner)
    {
        if (owner?.UserId is { } user)
        {
            index["owner"] = user;
        }

        if (owner?.Team is { } team)
        {
            index["team"] = team;
        }
    }
}
