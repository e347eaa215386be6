namespace AnalyticsHub.Events;

/// <summary>The cost of the tokens of one request.</summary>
public sealed record TokenCostEvent : CostPayload, ITokenCounts
{
    /// <inheritdoc/>
    public override CostType CostType => CostType.TokenCost;

    /// <summary>The model that was called.</summary>
    public required string ModelId { get; init; }

    /// <summary>The request that was priced.</summary>
    public required string RequestId { get; init; }

    /// <summary>Input tokens, inclusive of cached input tokens.</summary>
    public required uint PromptTokens { get; init; }

    /// <summary>Output tokens, inclusive of reasoning tokens.</summary>
    public required uint CompletionTokens { get; init; }

    /// <summary>Total tokens.</summary>
    public required uint TotalTokens { get; init; }

    /// <summary>Price of one uncached input token in USD.</summary>
    public required double CostPerPromptToken { get; init; }

    /// <summary>Price of one output token in USD.</summary>
    public required double CostPerCompletionToken { get; init; }

    /// <summary>Total cost of the request in USD.</summary>
    public required double TotalCostUsd { get; init; }

    /// <summary>The currency of the producer's prices (costs are in USD).</summary>
    public required string Currency { get; init; }

    /// <summary>Input tokens read from the prompt cache (part of <see cref="PromptTokens"/>).</summary>
    public uint? CachedInputTokens { get; init; }

    /// <summary>Input tokens written to the prompt cache (part of <see cref="PromptTokens"/>).</summary>
    public uint? CacheCreationInputTokens { get; init; }

    /// <summary>Reasoning tokens (part of <see cref="CompletionTokens"/>).</summary>
    public uint? ReasoningTokens { get; init; }

    /// <summary>Cost of the cached input tokens in USD.</summary>
    public double? CachedInputCostUsd { get; init; }

    /// <summary>Cost of the cache writes in USD.</summary>
    public double? CacheCreationCostUsd { get; init; }

    /// <summary>Cost of the reasoning tokens in USD.</summary>
    public double? ReasoningCostUsd { get; init; }

    /// <summary>The price-table version used to price the request.</summary>
    public string? PriceVersion { get; init; }
}
