namespace AnalyticsHub.Cost;

/// <summary>What one request costs, part by part, in USD, and the price row that priced it.</summary>
/// <remarks>
/// Token counts are inclusive (spec decision 9): uncached input is the prompt minus cached reads and
/// cache writes; plain output is the completion minus reasoning tokens. The parts add up to <see cref="TotalUsd"/> exactly.
/// </remarks>
public readonly record struct CostQuote
{
    /// <summary>Uncached input tokens at the input rate.</summary>
    public required decimal InputUsd { get; init; }

    /// <summary>Cached-input reads at the cached-input rate.</summary>
    public required decimal CachedInputUsd { get; init; }

    /// <summary>Cache writes at the cache-write rate.</summary>
    public required decimal CacheWriteUsd { get; init; }

    /// <summary>Output tokens other than reasoning tokens at the output rate.</summary>
    public required decimal OutputUsd { get; init; }

    /// <summary>Reasoning tokens at the reasoning rate.</summary>
    public required decimal ReasoningUsd { get; init; }

    /// <summary>The whole request.</summary>
    public decimal TotalUsd => InputUsd + CachedInputUsd + CacheWriteUsd + OutputUsd + ReasoningUsd;

    /// <summary>The row that priced the request.</summary>
    public required ModelPrice Price { get; init; }

    /// <summary>The rates applied: the row's base prices or the long-context tier the prompt crossed.</summary>
    public required TokenPrices Rates { get; init; }
}
