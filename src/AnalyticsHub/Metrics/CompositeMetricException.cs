using AnalyticsHub.Events;

namespace AnalyticsHub.Metrics;

/// <summary>A composite metric definition that was refused, with every problem (code, and for the formula the position in its text).</summary>
public sealed class CompositeMetricException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="metricId">The refused metric.</param>
    /// <param name="problems">Why it was refused.</param>
    public CompositeMetricException(string metricId, IReadOnlyList<Problem> problems)
        : base($"The composite metric '{metricId}' was refused: {string.Join("; ", problems)}")
    {
        MetricId = metricId;
        Problems = problems;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public CompositeMetricException()
        : this(string.Empty, [])
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public CompositeMetricException(string message)
        : base(message)
    {
        MetricId = string.Empty;
        Problems = [];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CompositeMetricException(string message, Exception innerException)
        : base(message, innerException)
    {
        MetricId = string.Empty;
        Problems = [];
    }

    /// <summary>Gets the refused metric's identifier.</summary>
    public string MetricId { get; }

    /// <summary>Gets the problems: <c>unknown_field</c> or <c>composite_cycle</c> with the formula position, <c>conflict</c> for a name in use, and the expression language's codes.</summary>
    public IReadOnlyList<Problem> Problems { get; }
}
