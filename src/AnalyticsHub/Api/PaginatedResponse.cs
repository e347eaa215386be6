namespace AnalyticsHub.Api;

/// <summary>Makes <see cref="PaginatedResponse{T}"/> envelopes.</summary>
public static class PaginatedResponse
{
    /// <summary>A <c>success</c> page.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The page's items.</param>
    /// <param name="pagination">Where the page sits.</param>
    /// <param name="nextCursor">The keyset cursor after this page, if any.</param>
    /// <param name="timeProvider">The clock for the metadata; the system clock when null.</param>
    public static PaginatedResponse<T> Success<T>(IReadOnlyList<T> items, PaginationMetadata pagination, string? nextCursor = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(pagination);
        return new()
        {
            Status = ResponseStatus.Success,
            Data = items,
            Pagination = pagination,
            Meta = ResponseMetadata.Create(timeProvider),
            NextCursor = nextCursor,
        };
    }

    /// <summary>An <c>error</c> page: no data, the error, and the pagination that was asked for.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="error">What went wrong.</param>
    /// <param name="pagination">The page that was asked for.</param>
    /// <param name="timeProvider">The clock for the metadata; the system clock when null.</param>
    public static PaginatedResponse<T> Error<T>(ApiError error, PaginationMetadata pagination, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(pagination);
        return new()
        {
            Status = ResponseStatus.Error,
            Error = error,
            Pagination = pagination,
            Meta = ResponseMetadata.Create(timeProvider),
        };
    }
}
