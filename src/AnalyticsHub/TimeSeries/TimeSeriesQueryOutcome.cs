using System.Diagnostics.CodeAnalysis;
using AnalyticsHub.Events;

namespace AnalyticsHub.TimeSeries;

/// <summary>The outcome of running a query: a result, or the errors that stopped it (never an exception for bad input).</summary>
public sealed record TimeSeriesQueryOutcome
{
    /// <summary>The result when the query was valid.</summary>
    public TimeSeriesResult? Result { get; init; }

    /// <summary>Why the query was rejected; empty on success.</summary>
    public IReadOnlyList<Problem> Errors { get; init => field = value ?? []; } = [];

    /// <summary>Whether the query ran.</summary>
    [MemberNotNullWhen(true, nameof(Result))]
    public bool IsSuccess => Result is not null;

    /// <summary>A successful outcome.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The outcome.</returns>
    public static TimeSeriesQueryOutcome Success(TimeSeriesResult result) => new() { Result = result };

    /// <summary>A rejected query.</summary>
    /// <param name="errors">The errors.</param>
    /// <returns>The outcome.</returns>
    public static TimeSeriesQueryOutcome Failure(IReadOnlyList<Problem> errors) => new() { Errors = errors };
}
