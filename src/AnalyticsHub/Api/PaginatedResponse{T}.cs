namespace AnalyticsHub.Api;

/// <summary>The envelope of a paged API response: status, one page of data, where it sits, and <c>meta</c>.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>Make one with <see cref="PaginatedResponse"/>. <c>data</c>, <c>error</c> and <c>next_cursor</c> are left out of the JSON when null.</remarks>
public sealed record PaginatedResponse<T>
{
    /// <summary>The outcome.</summary>
    public required ResponseStatus Status { get; init; }

    /// <summary>The page's items; absent on errors.</summary>
    public IReadOnlyList<T>? Data { get; init; }

    /// <summary>Page number, size, totals and links.</summary>
    public required PaginationMetadata Pagination { get; init; }

    /// <summary>What went wrong; absent on success.</summary>
    public ApiError? Error { get; init; }

    /// <summary>Request id, time, version and extra keys.</summary>
    public required ResponseMetadata Meta { get; init; }

    /// <summary>An opaque keyset cursor that continues after this page (decision 21); absent when there is nothing to continue from.</summary>
    public string? NextCursor { get; init; }
}
