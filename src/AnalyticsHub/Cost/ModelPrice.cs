namespace AnalyticsHub.Cost;

/// <summary>One row of a <see cref="PriceTable"/>: a model's prices from a date on, with where they were read.</summary>
public sealed record ModelPrice
{
    /// <summary>The provider, e.g. <c>openai</c>; an event's <c>provider</c> tag picks among rows of the same model.</summary>
    public required string Provider { get; init; }

    /// <summary>The base model id, e.g. <c>gpt-4o</c>.</summary>
    public required string ModelId { get; init; }

    /// <summary>Other ids that resolve to this row, e.g. dated snapshots such as <c>gpt-4o-2024-08-06</c>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The first day (UTC) these prices apply; earlier events use the row before it.</summary>
    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>The prices below the first tier.</summary>
    public required TokenPrices Prices { get; init; }

    /// <summary>Long-context tiers in ascending order of size; empty when the model has one price.</summary>
    public IReadOnlyList<PriceTier> Tiers { get; init; } = [];

    /// <summary>Where the prices come from, e.g. the provider's pricing page.</summary>
    public required string Source { get; init; }

    /// <summary>The day the prices were read from <see cref="Source"/>.</summary>
    public required DateOnly ReadOn { get; init; }

    /// <summary>
    /// The <c>price_version</c> written into the costs priced with this row:
    /// <c>{table version}:{provider}/{model}@{effective_from}</c>.
    /// </summary>
    public string PriceVersion { get; init; } = string.Empty;

    /// <summary>The prices for a request with <paramref name="promptTokens"/> input tokens (the highest tier it crosses).</summary>
    public TokenPrices PricesFor(uint promptTokens)
    {
        var prices = Prices;
        var tiers = Tiers;
        for (var i = 0; i < tiers.Count && promptTokens > tiers[i].AbovePromptTokens; i++)
        {
            prices = tiers[i].Prices;
        }

        return prices;
    }
}
