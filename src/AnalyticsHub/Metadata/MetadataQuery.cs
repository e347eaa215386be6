using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AnalyticsHub.Api;
using AnalyticsHub.Events;

namespace AnalyticsHub.Metadata;

/// <summary>
/// A list request to the metadata store: one kind, equality filters on the records' <see cref="MetadataRecord.Index"/>
/// (all ANDed), whether soft-deleted documents count, and a keyset page by id.
/// </summary>
/// <remarks>
/// Pages are in ordinal order of id; <see cref="Cursor"/> continues after the last id of the previous page and is bound
/// to the kind, filters and <see cref="IncludeDeleted"/> of the query that made it (not to <see cref="Limit"/>). Every
/// backend answers the same: <see cref="Validate"/> first, then <see cref="Matches"/> and <see cref="IsAfterCursor"/>
/// per latest revision, and <see cref="NextCursorAfter"/> for the page's last id.
/// </remarks>
public sealed record MetadataQuery
{
    /// <summary>The kind to list.</summary>
    public required MetadataKind Kind { get; init; }

    /// <summary>Filters: each key must be in a record's index with exactly this value; no filter when null or empty.</summary>
    public IReadOnlyDictionary<string, string>? Filters { get; init; }

    /// <summary>Whether soft-deleted documents are listed too; false by default.</summary>
    public bool IncludeDeleted { get; init; }

    /// <summary>Documents per page, 1..<see cref="PaginationParams.MaxPerPage"/>; <see cref="PaginationParams.DefaultPerPage"/> by default.</summary>
    public int Limit { get; init; } = (int)PaginationParams.DefaultPerPage;

    /// <summary>The <see cref="MetadataPage.NextCursor"/> of the previous page of the same query.</summary>
    public string? Cursor { get; init; }

    /// <summary>Checks the limit, the filters and the cursor.</summary>
    /// <returns>The problems with codes and paths (<c>limit</c>, <c>filters.&lt;key&gt;</c>, <c>cursor</c>); empty when valid.</returns>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        if (!Enum.IsDefined(Kind))
        {
            problems.Add(new(ProblemCodes.InvalidEnumValue, "kind", $"Unknown kind {(int)Kind}."));
        }

        if (Limit < 1 || Limit > PaginationParams.MaxPerPage)
        {
            problems.Add(new(ProblemCodes.NumberOutOfRange, "limit", string.Create(CultureInfo.InvariantCulture, $"limit must lie in 1..{PaginationParams.MaxPerPage}; it is {Limit}.")));
        }

        foreach (var (key, value) in Filters ?? EmptyFilters)
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                problems.Add(new(ProblemCodes.InvalidName, $"filters.{key}", "A filter needs a key and a value."));
            }
        }

        if (problems.Count == 0 && Cursor is not null && !TryDecodeCursor(out _))
        {
            problems.Add(new(ProblemCodes.InvalidCursor, "cursor", "The cursor is malformed or was made by another query (kind, filters, include_deleted)."));
        }

        return problems;
    }

    /// <summary>Whether a record's latest revision belongs in the answer (filters and deletion).</summary>
    public bool Matches(MetadataRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Kind != Kind || (record.IsDeleted && !IncludeDeleted))
        {
            return false;
        }

        foreach (var (key, value) in Filters ?? EmptyFilters)
        {
            if (!record.Index.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether an id comes after the cursor (every id does without one); call after <see cref="Validate"/>.</summary>
    public bool IsAfterCursor(string id) => !TryDecodeCursor(out var after) || after is null || string.CompareOrdinal(id, after) > 0;

    /// <summary>The cursor of the page that ends with <paramref name="lastId"/>.</summary>
    public string NextCursorAfter(string lastId)
    {
        ArgumentNullException.ThrowIfNull(lastId);
        var id = Encoding.UTF8.GetBytes(lastId);
        var bytes = new byte[9 + id.Length];
        bytes[0] = CursorVersion;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(1), Fingerprint());
        id.CopyTo(bytes, 9);
        return Base64Url.EncodeToString(bytes);
    }

    private const byte CursorVersion = 1;

    private static readonly IReadOnlyDictionary<string, string> EmptyFilters = new Dictionary<string, string>();

    private bool TryDecodeCursor(out string? afterId)
    {
        afterId = null;
        if (Cursor is null)
        {
            return true;
        }

        if (Cursor.Length is 0 or > 4096 || !Base64Url.IsValid(Cursor, out var length) || length < 9)
        {
            return false;
        }

        var bytes = Base64Url.DecodeFromChars(Cursor);
        if (bytes[0] != CursorVersion || BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(1)) != Fingerprint())
        {
            return false;
        }

        try
        {
            afterId = new UTF8Encoding(false, true).GetString(bytes, 9, bytes.Length - 9);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private ulong Fingerprint()
    {
        var text = new StringBuilder().Append((int)Kind).Append('|').Append(IncludeDeleted ? '1' : '0');
        foreach (var (key, value) in (Filters ?? EmptyFilters).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append('|').Append(key.Length).Append(':').Append(key).Append('=').Append(value);
        }

        return BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
