namespace AnalyticsHub.TimeSeries;

/// <summary>A condition on one tag (decision 9); conditions are ANDed with each other and with the tag filters.</summary>
public sealed record TagCondition
{
    /// <summary>The tag key.</summary>
    public required string Tag { get; init; }

    /// <summary>The comparison.</summary>
    public required TagConditionOperator Op { get; init; }

    /// <summary>The values: exactly one for <c>eq</c>, <c>ne</c> and <c>regex</c>, at least one for <c>in</c>.</summary>
    public IReadOnlyList<string> Values { get; init => field = value ?? []; } = [];
}
