namespace AnalyticsHub.Api;

/// <summary>The envelope of a single-result API response: status, data or error, and <c>meta</c>.</summary>
/// <typeparam name="T">The data's type.</typeparam>
/// <remarks>Make one with <see cref="ApiResponse"/>. <c>data</c> and <c>error</c> are left out of the JSON when null.</remarks>
public sealed record ApiResponse<T>
{
    /// <summary>The outcome.</summary>
    public required ResponseStatus Status { get; init; }

    /// <summary>The result; absent on errors.</summary>
    public T? Data { get; init; }

    /// <summary>What went wrong; absent on success.</summary>
    public ApiError? Error { get; init; }

    /// <summary>Request id, time, version and extra keys.</summary>
    public required ResponseMetadata Meta { get; init; }

    /// <summary>A copy with other metadata.</summary>
    /// <param name="meta">The metadata.</param>
    public ApiResponse<T> WithMeta(ResponseMetadata meta) => this with { Meta = meta };
}
