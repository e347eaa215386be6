using AnalyticsHub.Events;

namespace AnalyticsHub.Cost;

/// <summary>A price table could not be loaded; <see cref="Errors"/> lists every problem with its code and JSON path.</summary>
public sealed class PriceTableException : Exception
{
    /// <summary>Creates the exception for <paramref name="errors"/>.</summary>
    public PriceTableException(IReadOnlyList<Problem> errors)
        : base("Invalid price table: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with a message and no listed errors.</summary>
    public PriceTableException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message and no listed errors.</summary>
    public PriceTableException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message, an inner exception and no listed errors.</summary>
    public PriceTableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every problem found, each with its code and JSON path.</summary>
    public IReadOnlyList<Problem> Errors { get; }
}
