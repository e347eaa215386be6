namespace AnalyticsHub.Cost;

/// <summary>What the cost and budget stages have done since the hub started.</summary>
public sealed record CostStatistics
{
    /// <summary><c>token_usage</c> events the hub priced.</summary>
    public required long PricedRequests { get; init; }

    /// <summary>The sum of the hub's prices in USD.</summary>
    public required double PricedCostUsd { get; init; }

    /// <summary><c>token_usage</c> events not priced because the table does not know their model.</summary>
    public required long UnpricedRequests { get; init; }

    /// <summary><see cref="UnpricedRequests"/> by model id (at most 1,000 ids; the rest under <c>(other)</c>).</summary>
    public required IReadOnlyDictionary<string, long> UnknownModels { get; init; }

    /// <summary>Threshold alerts emitted.</summary>
    public required long BudgetAlerts { get; init; }

    /// <summary>Forecast warnings emitted.</summary>
    public required long ForecastWarnings { get; init; }
}
