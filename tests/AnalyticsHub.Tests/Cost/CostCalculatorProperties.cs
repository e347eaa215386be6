using AnalyticsHub.Cost;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Cost;

public class CostCalculatorProperties
{
    private static readonly CostCalculator Calculator = new(CostTestData.Table);

    [Property(MaxTest = 300)]
    public bool Quote_EqualsTheObviousFormula(uint prompt, uint completion, byte cachedShare, byte writeShare, byte reasoningShare)
    {
        prompt %= 1_000_000;
        completion %= 100_000;
        var cached = (uint)(prompt * (cachedShare / 510.0));
        var writes = (uint)(prompt * (writeShare / 510.0));
        var reasoning = (uint)(completion * (reasoningShare / 255.0));
        var quote = Calculator.Quote("acme-long", CostTestData.Day, prompt, completion, cached, writes, reasoning)!.Value;

        var rates = prompt > 128_000 ? (Input: 2.50m, Output: 10m, Cached: 0.625m) : (Input: 1.25m, Output: 5m, Cached: 0.3125m);
        var expected = (((prompt - cached - writes) * rates.Input) + (cached * rates.Cached) + (writes * rates.Input)
            + ((completion - reasoning) * rates.Output) + (reasoning * rates.Output)) / 1_000_000m;
        return quote.TotalUsd == expected;
    }

    [Property(MaxTest = 200)]
    public bool Quote_CachingNeverCostsMoreThanNoCaching(uint prompt, byte cachedShare)
    {
        prompt %= 1_000_000;
        var cached = (uint)(prompt * (cachedShare / 255.0));
        return Calculator.Quote("acme-large", CostTestData.Day, prompt, 0, cached)!.Value.TotalUsd
            <= Calculator.Quote("acme-large", CostTestData.Day, prompt, 0)!.Value.TotalUsd;
    }
}
