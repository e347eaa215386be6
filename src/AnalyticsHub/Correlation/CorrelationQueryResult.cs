using System.Diagnostics.CodeAnalysis;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>The answer to a <see cref="CorrelationQuery"/>: the matching incidents, or the problems of the query.</summary>
public sealed record CorrelationQueryResult
{
    /// <summary>
    /// The matching incidents (their latest state), closest to the seed first, then strongest first, then latest
    /// detected first; null when the query was refused.
    /// </summary>
    public IReadOnlyList<EventCorrelation>? Correlations { get; init; }

    /// <summary>Whether more incidents matched than <see cref="CorrelationQueryPlan.MaxResults"/>; the list holds the first ones in order.</summary>
    public bool Truncated { get; init; }

    /// <summary>The event-time range the query covered: around the seed event, or ending at the newest stored detection; null when nothing was searched.</summary>
    public TimeRange? Window { get; init; }

    /// <summary>Why the query was refused, with codes and JSON paths; empty when it ran.</summary>
    public IReadOnlyList<Problem> Problems { get; init => field = value ?? []; } = [];

    /// <summary>Whether the query ran.</summary>
    [MemberNotNullWhen(true, nameof(Correlations))]
    public bool IsSuccess => Correlations is not null;
}
