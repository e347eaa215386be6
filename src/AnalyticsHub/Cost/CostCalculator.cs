using AnalyticsHub.Events;

namespace AnalyticsHub.Cost;

/// <summary>
/// Prices <c>token_usage</c> events with a <see cref="PriceTable"/> and builds the hub's <c>token_cost</c>
/// events (spec decisions 9 and 16); also re-prices a stored time range after a table change.
/// </summary>
/// <remarks>
/// Thread-safe: its one piece of state is the table, swapped whole when the metadata registry's model prices change
/// (each call prices with one table). Prices are <see cref="decimal"/> inside, doubles on the wire.
/// </remarks>
public sealed class CostCalculator
{
    private static readonly DerivedIdSpace TokenCostIds = DerivedEvents.Space("token_cost");

    // Multiplying by 10^-6 only raises the decimal scale: exact, and much cheaper than a decimal division.
    private const decimal PerToken = 0.000001m;

    /// <summary>The tag whose value, when an event carries it, picks the provider's row among rows of the same model.</summary>
    public const string ProviderTag = "provider";

    /// <summary>Creates a calculator over <paramref name="priceTable"/>.</summary>
    public CostCalculator(PriceTable priceTable)
    {
        ArgumentNullException.ThrowIfNull(priceTable);
        _priceTable = priceTable;
    }

    private PriceTable _priceTable;

    /// <summary>The table this calculator prices with: the one it was made with, extended by the metadata registry's model prices.</summary>
    public PriceTable PriceTable => Volatile.Read(ref _priceTable);

    /// <summary>Replaces the table, for the metadata registry when its model prices change.</summary>
    internal void UsePriceTable(PriceTable priceTable)
    {
        ArgumentNullException.ThrowIfNull(priceTable);
        Volatile.Write(ref _priceTable, priceTable);
    }

    /// <summary>Prices one request's tokens as of <paramref name="at"/>.</summary>
    /// <param name="modelId">The model (an id or alias of the table).</param>
    /// <param name="at">When the request happened (event time); picks the row effective that day.</param>
    /// <param name="promptTokens">Input tokens, inclusive of cached reads and cache writes.</param>
    /// <param name="completionTokens">Output tokens, inclusive of reasoning tokens.</param>
    /// <param name="cachedInputTokens">Input tokens read from the prompt cache.</param>
    /// <param name="cacheWriteTokens">Input tokens written to the prompt cache.</param>
    /// <param name="reasoningTokens">Reasoning tokens.</param>
    /// <param name="provider">The provider, when known, to choose among rows of the same model.</param>
    /// <returns>The quote, or <see langword="null"/> when the table does not know the model.</returns>
    /// <remarks>
    /// Counts that contradict each other (more cached and cache-write tokens than prompt tokens, more
    /// reasoning than completion tokens) are clamped so no part is negative: the sub-counts are priced,
    /// the remainder is zero.
    /// </remarks>
    public CostQuote? Quote(
        string modelId,
        DateTimeOffset at,
        uint promptTokens,
        uint completionTokens,
        uint cachedInputTokens = 0,
        uint cacheWriteTokens = 0,
        uint reasoningTokens = 0,
        string? provider = null)
    {
        if (PriceTable.Find(modelId, at, provider) is not { } price)
        {
            return null;
        }

        var rates = price.PricesFor(promptTokens);
        var special = (ulong)cachedInputTokens + cacheWriteTokens;
        var uncached = promptTokens > special ? promptTokens - special : 0UL;
        var plainOutput = completionTokens > reasoningTokens ? completionTokens - reasoningTokens : 0U;
        return new CostQuote
        {
            InputUsd = uncached * rates.Input * PerToken,
            CachedInputUsd = cachedInputTokens * rates.CachedInputRate * PerToken,
            CacheWriteUsd = cacheWriteTokens * rates.CacheWriteRate * PerToken,
            OutputUsd = plainOutput * rates.Output * PerToken,
            ReasoningUsd = reasoningTokens * rates.ReasoningRate * PerToken,
            Price = price,
            Rates = rates,
        };
    }

    /// <summary>Prices a <c>token_usage</c> payload as of <paramref name="at"/>.</summary>
    /// <returns>The quote, or <see langword="null"/> when the table does not know the model.</returns>
    public CostQuote? Quote(TokenUsageMetrics usage, DateTimeOffset at, string? provider = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return Quote(
            usage.ModelId,
            at,
            usage.PromptTokens,
            usage.CompletionTokens,
            usage.CachedInputTokens ?? 0,
            usage.CacheCreationInputTokens ?? 0,
            usage.ReasoningTokens ?? 0,
            provider);
    }

    /// <summary>
    /// The hub's <c>token_cost</c> event for a <c>token_usage</c> event (decision 16): source
    /// <c>llm-analytics-hub</c>, the usage event as parent, its correlation id, environment, tags and event time.
    /// </summary>
    /// <param name="usageEvent">An event whose payload is <see cref="TokenUsageMetrics"/>.</param>
    /// <param name="costEvent">The priced event, when the model is known.</param>
    /// <returns><see langword="false"/> when the table does not know the model (nothing is priced at zero).</returns>
    /// <exception cref="ArgumentException">The event is not a <c>token_usage</c> event.</exception>
    public bool TryPrice(AnalyticsEvent usageEvent, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AnalyticsEvent? costEvent)
    {
        ArgumentNullException.ThrowIfNull(usageEvent);
        if (usageEvent.Payload is not TokenUsageMetrics usage)
        {
            throw new ArgumentException("Only token_usage events are priced.", nameof(usageEvent));
        }

        var common = usageEvent.Common;
        common.Tags.TryGetValue(ProviderTag, out var provider);
        if (Quote(usage, common.Timestamp, provider) is not { } quote)
        {
            costEvent = null;
            return false;
        }

        costEvent = new AnalyticsEvent
        {
            Common = DerivedEvents.Common(usageEvent, TokenCostIds.FromParent(common.EventId), EventType.Cost, Severity.Info, common.Tags),
            Payload = new TokenCostEvent
            {
                ModelId = usage.ModelId,
                RequestId = usage.RequestId,
                PromptTokens = usage.PromptTokens,
                CompletionTokens = usage.CompletionTokens,
                TotalTokens = usage.TotalTokens,
                CostPerPromptToken = (double)(quote.Rates.Input * PerToken),
                CostPerCompletionToken = (double)(quote.Rates.Output * PerToken),
                TotalCostUsd = (double)quote.TotalUsd,
                Currency = "USD",
                CachedInputTokens = usage.CachedInputTokens,
                CacheCreationInputTokens = usage.CacheCreationInputTokens,
                ReasoningTokens = usage.ReasoningTokens,
                CachedInputCostUsd = usage.CachedInputTokens is null ? null : (double)quote.CachedInputUsd,
                CacheCreationCostUsd = usage.CacheCreationInputTokens is null ? null : (double)quote.CacheWriteUsd,
                ReasoningCostUsd = usage.ReasoningTokens is null ? null : (double)quote.ReasoningUsd,
                PriceVersion = quote.Price.PriceVersion,
            },
        };
        return true;
    }

    /// <summary>
    /// Re-prices the <c>token_usage</c> events of <paramref name="range"/> (start inclusive, end exclusive) with this
    /// calculator's table, e.g. after a price change, and compares with the hub's earlier costs for the same usage.
    /// </summary>
    /// <param name="events">Stored events (any kinds, any order); the hub's own <c>token_cost</c> events among them are the "before".</param>
    /// <param name="range">The event-time range to re-price.</param>
    /// <remarks>
    /// The new <c>token_cost</c> events have the same ids as the hub would give them live, so re-ingesting them into a
    /// store that holds the old ones changes nothing; a host replaces the old costs in its store or keeps the result
    /// as a report.
    /// </remarks>
    public RepricingResult Reprice(IEnumerable<AnalyticsEvent> events, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(events);
        var priced = new List<AnalyticsEvent>();
        var unknown = new Dictionary<string, long>(StringComparer.Ordinal);
        var before = new Dictionary<Guid, double>();
        decimal total = 0;
        foreach (var evt in events)
        {
            if (evt.Timestamp < range.Start || evt.Timestamp >= range.End)
            {
                continue;
            }

            if (evt.Payload is TokenCostEvent old && evt.SourceModule == SourceModule.LlmAnalyticsHub && evt.Common.ParentEventId is { } parent)
            {
                before[parent] = old.TotalCostUsd;
            }
            else if (evt.Payload is TokenUsageMetrics usage)
            {
                if (TryPrice(evt, out var cost))
                {
                    priced.Add(cost);
                    total += (decimal)((TokenCostEvent)cost.Payload).TotalCostUsd;
                }
                else
                {
                    unknown[usage.ModelId] = unknown.GetValueOrDefault(usage.ModelId) + 1;
                }
            }
        }

        double previous = 0;
        var compared = 0;
        foreach (var cost in priced)
        {
            if (before.TryGetValue(cost.Common.ParentEventId!.Value, out var old))
            {
                previous += old;
                compared++;
            }
        }

        return new RepricingResult
        {
            Costs = priced,
            TotalCostUsd = (double)total,
            PreviousCostUsd = previous,
            ComparedCount = compared,
            UnknownModels = unknown,
        };
    }
}
