namespace AnalyticsHub.Api;

/// <summary>The result of a batch: counts, one result per item, and the overall status.</summary>
/// <typeparam name="T">The per-item data type.</typeparam>
/// <remarks>Make one with <see cref="BatchResponse.Create{T}"/>, which computes the counts and status.</remarks>
public sealed record BatchResponse<T>
{
    /// <summary>Identifies the batch.</summary>
    public required Guid BatchId { get; init; }

    /// <summary>How many items the batch held.</summary>
    public required int TotalItems { get; init; }

    /// <summary>How many items succeeded.</summary>
    public required int SuccessCount { get; init; }

    /// <summary>How many items failed (skipped items are neither successes nor failures).</summary>
    public required int FailureCount { get; init; }

    /// <summary>One result per item, in batch order.</summary>
    public required IReadOnlyList<BatchItemResult<T>> Results { get; init; }

    /// <summary>The overall outcome.</summary>
    public required BatchStatus Status { get; init; }
}
