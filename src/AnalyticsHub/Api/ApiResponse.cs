namespace AnalyticsHub.Api;

/// <summary>Makes <see cref="ApiResponse{T}"/> envelopes.</summary>
public static class ApiResponse
{
    /// <summary>A <c>success</c> response holding <paramref name="data"/>, with fresh metadata.</summary>
    /// <typeparam name="T">The data's type.</typeparam>
    /// <param name="data">The result.</param>
    /// <param name="timeProvider">The clock for the metadata; the system clock when null.</param>
    public static ApiResponse<T> Success<T>(T data, TimeProvider? timeProvider = null) => new()
    {
        Status = ResponseStatus.Success,
        Data = data,
        Meta = ResponseMetadata.Create(timeProvider),
    };

    /// <summary>A <c>success</c> response without data: writes <c>"data":null</c>, as the producers' <c>success(())</c> does.</summary>
    /// <param name="timeProvider">The clock for the metadata; the system clock when null.</param>
    public static ApiResponse<NoContent> Success(TimeProvider? timeProvider = null) => Success(NoContent.Value, timeProvider);

    /// <summary>An <c>error</c> response: no <c>data</c> key, the error, fresh metadata.</summary>
    /// <typeparam name="T">The data type the call would have returned.</typeparam>
    /// <param name="error">What went wrong.</param>
    /// <param name="timeProvider">The clock for the metadata; the system clock when null.</param>
    public static ApiResponse<T> Error<T>(ApiError error, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new()
        {
            Status = ResponseStatus.Error,
            Error = error,
            Meta = ResponseMetadata.Create(timeProvider),
        };
    }
}
