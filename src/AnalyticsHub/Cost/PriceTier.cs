namespace AnalyticsHub.Cost;

/// <summary>A long-context tier: once a request's prompt is larger than <see cref="AbovePromptTokens"/>, the whole request is priced at <see cref="Prices"/>.</summary>
public sealed record PriceTier
{
    /// <summary>The tier applies to prompts of more than this many tokens (inclusive of cached tokens).</summary>
    public required uint AbovePromptTokens { get; init; }

    /// <summary>The prices of every token of a request in this tier.</summary>
    public required TokenPrices Prices { get; init; }
}
