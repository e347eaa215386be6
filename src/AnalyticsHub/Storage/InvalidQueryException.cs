using AnalyticsHub.Events;

namespace AnalyticsHub.Storage;

/// <summary>Thrown by a store given an invalid <see cref="EventQuery"/>; <see cref="Problems"/> is what <see cref="EventQuery.Validate"/> returns.</summary>
/// <remarks>The API turns the problems into its error with <c>ApiError.FromProblems</c> (<c>invalid_cursor</c> or <c>validation_error</c>).</remarks>
public sealed class InvalidQueryException : ArgumentException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidQueryException()
        : this("The query is invalid.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and no problem list.</summary>
    /// <param name="message">A sentence for people.</param>
    public InvalidQueryException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and an inner exception.</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidQueryException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    /// <summary>Creates the exception for the problems of a query.</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="problems">The problems, each with its code and path.</param>
    public InvalidQueryException(string message, IReadOnlyList<Problem> problems)
        : base(message) => Problems = problems ?? throw new ArgumentNullException(nameof(problems));

    /// <summary>What is wrong: each problem with its code and the argument's path.</summary>
    public IReadOnlyList<Problem> Problems { get; }
}
