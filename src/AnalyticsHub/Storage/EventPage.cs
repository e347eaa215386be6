using AnalyticsHub.Api;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage;

/// <summary>One page of an event query: the events, the total, the cursor to continue, and what it cost.</summary>
public sealed record EventPage
{
    /// <summary>The page's events in the query's order.</summary>
    public required IReadOnlyList<AnalyticsEvent> Events { get; init; }

    /// <summary>How many events match the query's filters in all (paging and cursor aside).</summary>
    public required ulong TotalItems { get; init; }

    /// <summary>Whether more matching events follow this page.</summary>
    public required bool HasMore { get; init; }

    /// <summary>
    /// The keyset cursor after the page's last event, for <see cref="EventQuery.Cursor"/>; with an empty page it is
    /// the cursor that was given (so a live tail can poll again), or null.
    /// </summary>
    /// <remarks>Follow it while <see cref="HasMore"/> is true; it stays valid while events arrive (no duplicates, no gaps).</remarks>
    public string? NextCursor { get; init; }

    /// <summary>The page that was asked for, from 1.</summary>
    public required uint Page { get; init; }

    /// <summary>The page size that was asked for.</summary>
    public required uint PerPage { get; init; }

    /// <summary>Whether the page was reached through a cursor (so page numbers do not apply).</summary>
    public required bool FromCursor { get; init; }

    /// <summary>What the query cost; <c>records_scanned</c> counts the stored events it examined.</summary>
    public required QueryMetrics Metrics { get; init; }

    /// <summary>The page's place in the result as the API reports it.</summary>
    /// <param name="baseUrl">The resource's address for links (its query string is kept); no links when null or for cursor pages.</param>
    public PaginationMetadata ToPaginationMetadata(string? baseUrl = null)
    {
        if (!FromCursor)
        {
            return PaginationMetadata.Create(Page, PerPage, TotalItems, baseUrl);
        }

        return PaginationMetadata.Create(1, PerPage, TotalItems) with { HasNext = HasMore, HasPrevious = true };
    }

    /// <summary>The page as a query result with its metrics.</summary>
    public QueryResult<IReadOnlyList<AnalyticsEvent>> ToQueryResult() => new()
    {
        QueryId = Guid.NewGuid(),
        Status = QueryStatus.Success,
        Data = Events,
        Metrics = Metrics,
    };
}
