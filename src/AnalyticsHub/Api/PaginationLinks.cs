using System.Globalization;
using System.Text;

namespace AnalyticsHub.Api;

/// <summary>Links to the first, last, next, previous and current page of a paged result.</summary>
/// <remarks>
/// Links keep the base's own query string and fragment; they replace any <c>page</c>, <c>per_page</c> or
/// <c>cursor</c> parameter already there with their own <c>page</c> and <c>per_page</c> (decision 21).
/// </remarks>
public sealed record PaginationLinks
{
    /// <summary>The first page.</summary>
    public required string First { get; init; }

    /// <summary>The last page; equal to <see cref="First"/> when there are no items.</summary>
    public required string Last { get; init; }

    /// <summary>The next page; absent on the last page.</summary>
    public string? Next { get; init; }

    /// <summary>The previous page; absent on the first page.</summary>
    public string? Prev { get; init; }

    /// <summary>This page. The JSON key is <c>self_link</c> (not <c>self</c>).</summary>
    public required string SelfLink { get; init; }

    /// <summary>Builds the links of page <paramref name="page"/> of <paramref name="totalPages"/>.</summary>
    /// <param name="baseUrl">The resource's address, possibly with a query string, e.g. <c>/v1/events?module=llm-sentinel</c>.</param>
    /// <param name="page">The current page, from 1.</param>
    /// <param name="perPage">Items per page.</param>
    /// <param name="totalPages">How many pages there are (0 when there are no items).</param>
    public static PaginationLinks Create(string baseUrl, uint page, uint perPage, uint totalPages)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var lastPage = Math.Max(totalPages, 1u);
        return new PaginationLinks
        {
            First = PageUrl(baseUrl, 1, perPage),
            Last = PageUrl(baseUrl, lastPage, perPage),
            Next = page < totalPages ? PageUrl(baseUrl, page + 1, perPage) : null,
            Prev = page > 1 ? PageUrl(baseUrl, page - 1, perPage) : null,
            SelfLink = PageUrl(baseUrl, page, perPage),
        };
    }

    /// <summary>The address of one page: the base with its other query parameters kept and <c>page</c>/<c>per_page</c> set.</summary>
    /// <param name="baseUrl">The resource's address, possibly with a query string and a fragment.</param>
    /// <param name="page">The page, from 1.</param>
    /// <param name="perPage">Items per page.</param>
    public static string PageUrl(string baseUrl, uint page, uint perPage)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var fragmentAt = baseUrl.IndexOf('#', StringComparison.Ordinal);
        var fragment = fragmentAt >= 0 ? baseUrl[fragmentAt..] : string.Empty;
        var withoutFragment = fragmentAt >= 0 ? baseUrl[..fragmentAt] : baseUrl;
        var queryAt = withoutFragment.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt >= 0 ? withoutFragment[..queryAt] : withoutFragment;

        var builder = new StringBuilder(baseUrl.Length + 32).Append(path).Append('?');
        if (queryAt >= 0)
        {
            foreach (var part in withoutFragment[(queryAt + 1)..].Split('&'))
            {
                if (part.Length == 0 || IsPagingParameter(part))
                {
                    continue;
                }

                builder.Append(part).Append('&');
            }
        }

        builder.Append(CultureInfo.InvariantCulture, $"page={page}&per_page={perPage}");
        return builder.Append(fragment).ToString();
    }

    private static bool IsPagingParameter(string part)
    {
        var equals = part.IndexOf('=', StringComparison.Ordinal);
        var name = equals >= 0 ? part.AsSpan(0, equals) : part.AsSpan();
        return name is "page" or "per_page" or "cursor";
    }
}
