using AnalyticsHub.Api;

namespace AnalyticsHub.Storage;

/// <summary>Thrown by a store given an invalid <see cref="EventQuery"/>; <see cref="Error"/> is what <see cref="EventQuery.Validate"/> returns.</summary>
public sealed class InvalidQueryException : ArgumentException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidQueryException()
        : this(ApiError.ValidationError("The query is invalid."))
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> as a <c>validation_error</c>.</summary>
    /// <param name="message">A sentence for people.</param>
    public InvalidQueryException(string message)
        : this(ApiError.ValidationError(message))
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> as a <c>validation_error</c> and an inner exception.</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidQueryException(string message, Exception innerException)
        : base(message, innerException) => Error = ApiError.ValidationError(message);

    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <param name="error">The validation error or invalid-cursor error.</param>
    public InvalidQueryException(ApiError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message) => Error = error;

    /// <summary>What is wrong, ready to send as an API error.</summary>
    public ApiError Error { get; }
}
