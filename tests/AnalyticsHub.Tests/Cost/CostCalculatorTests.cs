using AnalyticsHub.Cost;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Cost;

public class CostCalculatorTests
{
    private static readonly CostCalculator Calculator = new(CostTestData.Table);
    private static readonly DateTimeOffset January = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Quote_OneMillionInputTokensAtThreeDollars_IsExactlyThreeDollars()
    {
        var quote = Calculator.Quote("acme-large", January, promptTokens: 1_000_000, completionTokens: 0)!.Value;

        Assert.Equal(3.00m, quote.TotalUsd);
        Assert.Equal(3.0, (double)quote.TotalUsd);
    }

    [Fact]
    public void Quote_CachedTokens_AreSubtractedFromInputAndPricedAtTheCachedRate()
    {
        var quote = Calculator.Quote("acme-large", January, promptTokens: 10_000, completionTokens: 500, cachedInputTokens: 8_000)!.Value;

        Assert.Equal(0.006m, quote.InputUsd);          // 2,000 uncached x $3/M
        Assert.Equal(0.0024m, quote.CachedInputUsd);   // 8,000 x $0.30/M
        Assert.Equal(0.0075m, quote.OutputUsd);        // 500 x $15/M
        Assert.Equal(0.0159m, quote.TotalUsd);
    }

    [Fact]
    public void Quote_CacheWrites_AreSubtractedFromInputAndPricedAtTheWriteRate()
    {
        var quote = Calculator.Quote("acme-large", January, promptTokens: 5_000, completionTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 4_000)!.Value;

        Assert.Equal(0.003m, quote.InputUsd);          // 1,000 x $3/M
        Assert.Equal(0.015m, quote.CacheWriteUsd);     // 4,000 x $3.75/M
        Assert.Equal(0.018m, quote.TotalUsd);
    }

    [Fact]
    public void Quote_ReasoningTokens_AreSubtractedFromOutputAndPricedAtTheirRate()
    {
        var quote = Calculator.Quote("acme-think", January, promptTokens: 0, completionTokens: 1_000, reasoningTokens: 800)!.Value;

        Assert.Equal(0.00012m, quote.OutputUsd);       // 200 x $0.60/M
        Assert.Equal(0.0028m, quote.ReasoningUsd);     // 800 x $3.50/M
        Assert.Equal(0.00292m, quote.TotalUsd);
    }

    [Fact]
    public void Quote_ReasoningWithoutOwnRate_CostsTheSameAsOutput()
    {
        var split = Calculator.Quote("acme-large", January, 0, 1_000, reasoningTokens: 600)!.Value;
        var plain = Calculator.Quote("acme-large", January, 0, 1_000)!.Value;

        Assert.Equal(plain.TotalUsd, split.TotalUsd);
        Assert.Equal(0.009m, split.ReasoningUsd);
    }

    [Fact]
    public void Quote_PromptCrossingTheTier_RepricesTheWholeRequest()
    {
        var at = Calculator.Quote("acme-long", January, promptTokens: 128_000, completionTokens: 1_000)!.Value;
        var above = Calculator.Quote("acme-long", January, promptTokens: 128_001, completionTokens: 1_000, cachedInputTokens: 1)!.Value;

        Assert.Equal(0.16m + 0.005m, at.TotalUsd);     // 128,000 x $1.25/M + 1,000 x $5/M
        Assert.Equal(128_000 * 2.50m / 1_000_000, above.InputUsd);
        Assert.Equal(0.625m / 1_000_000, above.CachedInputUsd);
        Assert.Equal(0.01m, above.OutputUsd);          // output re-priced too: 1,000 x $10/M
        Assert.Equal(2.50m, above.Rates.Input);
    }

    [Fact]
    public void Quote_EffectiveDates_PriceHistoryAtThePriceOfItsDay()
    {
        var before = Calculator.Quote("acme-large", January, 1_000_000, 0)!.Value;
        var after = Calculator.Quote("acme-large", CostTestData.Day, 1_000_000, 0)!.Value;

        Assert.Equal(3m, before.TotalUsd);
        Assert.Equal(2m, after.TotalUsd);
        Assert.Equal("test-1:acme/acme-large@2025-12-01", before.Price.PriceVersion);
        Assert.Equal("test-1:acme/acme-large@2026-02-01", after.Price.PriceVersion);
    }

    [Fact]
    public void Quote_DatedAlias_PricesAsTheBaseModel()
    {
        Assert.Equal(
            Calculator.Quote("acme-large", January, 1_234, 567)!.Value.TotalUsd,
            Calculator.Quote("acme-large-2025-12-01", January, 1_234, 567)!.Value.TotalUsd);
    }

    [Fact]
    public void Quote_UnknownModel_IsNullNotZero()
    {
        Assert.Null(Calculator.Quote("acme-huge", January, 1_000, 1_000));
    }

    [Fact]
    public void Quote_ContradictoryCounts_ClampNoPartBelowZero()
    {
        var quote = Calculator.Quote("acme-large", January, promptTokens: 100, completionTokens: 10, cachedInputTokens: 80, cacheWriteTokens: 50, reasoningTokens: 20)!.Value;

        Assert.Equal(0m, quote.InputUsd);
        Assert.Equal(0m, quote.OutputUsd);
        Assert.True(quote.CachedInputUsd > 0 && quote.CacheWriteUsd > 0 && quote.ReasoningUsd > 0);
    }

    [Fact]
    public void TryPrice_UsageEvent_EmitsTheHubsTokenCost()
    {
        var tags = new Dictionary<string, string> { ["tenant"] = "t1" };
        var usage = CostTestData.Usage("acme-large", 10_000, 500, January, cached: 8_000, cacheWrite: 1_000, reasoning: 100, tags: tags);

        Assert.True(Calculator.TryPrice(usage, out var costEvent));

        Assert.Equal(SourceModule.LlmAnalyticsHub, costEvent.SourceModule);
        Assert.Equal(EventType.Cost, costEvent.EventType);
        Assert.Equal(usage.EventId, costEvent.Common.ParentEventId);
        Assert.Equal(usage.Common.CorrelationId, costEvent.Common.CorrelationId);
        Assert.Equal(usage.Timestamp, costEvent.Timestamp);
        Assert.Same(tags, costEvent.Common.Tags);
        var cost = Assert.IsType<TokenCostEvent>(costEvent.Payload);
        Assert.Equal(0.003 + 0.0024 + 0.00375 + 0.006 + 0.0015, cost.TotalCostUsd, 12);
        Assert.Equal(0.0024, cost.CachedInputCostUsd);
        Assert.Equal(0.00375, cost.CacheCreationCostUsd);
        Assert.Equal(0.0015, cost.ReasoningCostUsd);
        Assert.Equal(3e-6, cost.CostPerPromptToken);
        Assert.Equal(15e-6, cost.CostPerCompletionToken);
        Assert.Equal("test-1:acme/acme-large@2025-12-01", cost.PriceVersion);
        Assert.Equal("USD", cost.Currency);

        Assert.True(Calculator.TryPrice(usage, out var again));
        Assert.Equal(costEvent.EventId, again.EventId);
        Assert.NotEqual(usage.EventId, costEvent.EventId);
    }

    [Fact]
    public void TryPrice_WithoutOptionalCounts_LeavesTheOptionalCostsOut()
    {
        Assert.True(Calculator.TryPrice(CostTestData.Usage("acme-large", 100, 50, January), out var costEvent));

        var cost = (TokenCostEvent)costEvent.Payload;
        Assert.Null(cost.CachedInputCostUsd);
        Assert.Null(cost.CacheCreationCostUsd);
        Assert.Null(cost.ReasoningCostUsd);
    }

    [Fact]
    public void TryPrice_ProviderTag_PricesWithThatProvidersRow()
    {
        var usage = CostTestData.Usage("open-70b", 1_000_000, 1_000_000, January, tags: new Dictionary<string, string> { ["provider"] = "selfhost" });

        Assert.True(Calculator.TryPrice(usage, out var costEvent));

        Assert.Equal(1.40, ((TokenCostEvent)costEvent.Payload).TotalCostUsd);
    }

    [Fact]
    public void TryPrice_UnknownModel_ReturnsFalse()
    {
        Assert.False(Calculator.TryPrice(CostTestData.Usage("acme-huge", 100, 50, January), out var costEvent));
        Assert.Null(costEvent);
    }

    [Fact]
    public void TryPrice_NotAUsageEvent_Throws()
    {
        Assert.Throws<ArgumentException>(() => Calculator.TryPrice(CostTestData.Cost(1, January), out _));
    }

    [Fact]
    public void Reprice_AfterATableChange_ComparesNewCostsWithTheOldOnes()
    {
        var usages = Enumerable.Range(0, 4).Select(i => CostTestData.Usage("acme-large", 1_000_000, 0, January.AddHours(i), request: "r" + i)).ToList();
        var unknown = CostTestData.Usage("acme-huge", 10, 10, January);
        var outside = CostTestData.Usage("acme-large", 1_000_000, 0, January.AddDays(2));
        var stored = new List<AnalyticsEvent>(usages) { unknown, outside };
        foreach (var usage in usages)
        {
            Assert.True(Calculator.TryPrice(usage, out var old));
            stored.Add(old);
        }

        var cheaper = new CostCalculator(CostTestData.Table.WithOverrides(PriceTable.Parse("""
            { "schema_version": 1, "version": "test-2", "providers": [ { "id": "acme", "source": "s", "read_on": "2026-01-01", "models": [
              { "id": "acme-large", "effective_from": "2025-12-01", "prices": { "input": 1, "output": 5 } } ] } ] }
            """)));

        var result = cheaper.Reprice(stored, new TimeRange(January, January.AddDays(1)));

        Assert.Equal(4, result.Costs.Count);
        Assert.Equal(4.0, result.TotalCostUsd);
        Assert.Equal(12.0, result.PreviousCostUsd);
        Assert.Equal(4, result.ComparedCount);
        Assert.Equal(1, result.UnknownModels["acme-huge"]);
        Assert.All(result.Costs, c => Assert.StartsWith("test-2:", ((TokenCostEvent)c.Payload).PriceVersion, StringComparison.Ordinal));
    }
}
