namespace AnalyticsHub.Api;

/// <summary>Where a page sits in a paged result: page number, size, totals and links.</summary>
public sealed record PaginationMetadata
{
    /// <summary>The page, from 1.</summary>
    public required uint Page { get; init; }

    /// <summary>Items per page.</summary>
    public required uint PerPage { get; init; }

    /// <summary>How many items the whole result holds.</summary>
    public required ulong TotalItems { get; init; }

    /// <summary>How many pages the whole result fills; 0 when it holds no items.</summary>
    public required uint TotalPages { get; init; }

    /// <summary>Whether a page follows this one.</summary>
    public required bool HasNext { get; init; }

    /// <summary>Whether a page precedes this one.</summary>
    public required bool HasPrevious { get; init; }

    /// <summary>Links to neighbouring pages; left out of the JSON when absent.</summary>
    public PaginationLinks? Links { get; init; }

    /// <summary>Computes the metadata of page <paramref name="page"/> (and its links when <paramref name="baseUrl"/> is given).</summary>
    /// <param name="page">The page, from 1.</param>
    /// <param name="perPage">Items per page, at least 1.</param>
    /// <param name="totalItems">How many items the whole result holds.</param>
    /// <param name="baseUrl">The resource's address for links, possibly with a query string; no links when null.</param>
    /// <remarks>
    /// <c>total_pages</c> is the exact integer ceiling of <paramref name="totalItems"/> / <paramref name="perPage"/>,
    /// saturating at <see cref="uint.MaxValue"/>. Unlike the producers, a <paramref name="perPage"/> of 0 is refused
    /// rather than turned into 4294967295 pages.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="page"/> or <paramref name="perPage"/> is 0.</exception>
    public static PaginationMetadata Create(uint page, uint perPage, ulong totalItems, string? baseUrl = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(page);
        ArgumentOutOfRangeException.ThrowIfZero(perPage);
        var pages = (totalItems / perPage) + (totalItems % perPage == 0 ? 0ul : 1ul);
        var totalPages = pages > uint.MaxValue ? uint.MaxValue : (uint)pages;
        return new PaginationMetadata
        {
            Page = page,
            PerPage = perPage,
            TotalItems = totalItems,
            TotalPages = totalPages,
            HasNext = page < totalPages,
            HasPrevious = page > 1,
            Links = baseUrl is null ? null : PaginationLinks.Create(baseUrl, page, perPage, totalPages),
        };
    }
}
