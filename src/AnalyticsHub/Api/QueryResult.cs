namespace AnalyticsHub.Api;

/// <summary>The result of a query: its id, status, the answer and what it cost.</summary>
/// <typeparam name="T">The answer's type.</typeparam>
public sealed record QueryResult<T>
{
    /// <summary>Identifies the query run.</summary>
    public required Guid QueryId { get; init; }

    /// <summary>The outcome.</summary>
    public required QueryStatus Status { get; init; }

    /// <summary>The answer; left out of the JSON when absent.</summary>
    public T? Data { get; init; }

    /// <summary>What the query cost.</summary>
    public required QueryMetrics Metrics { get; init; }

    /// <summary>Warnings about the answer (always written, empty by default).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
