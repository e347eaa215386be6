using System.Text;
using AnalyticsHub.Cost;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Cost;

public class PriceTableTests
{
    [Fact]
    public void Default_CoversEveryProvider_AndEveryRowNamesItsSourceAndReadDate()
    {
        var table = PriceTable.Default;

        Assert.Equal(["anthropic", "google", "meta", "mistral", "openai"], table.Models.Select(m => m.Provider).Distinct().Order());
        Assert.All(table.Models, row =>
        {
            Assert.False(string.IsNullOrWhiteSpace(row.Source));
            Assert.True(row.ReadOn >= row.EffectiveFrom || row.ReadOn.Year >= 2025);
            Assert.StartsWith(table.Version + ":", row.PriceVersion, StringComparison.Ordinal);
        });
        Assert.NotNull(table.Find("gpt-4o", CostTestData.Day));
        Assert.NotNull(table.Find("claude-sonnet-4-5", CostTestData.Day));
        Assert.NotNull(table.Find("gemini-2.5-pro", CostTestData.Day));
        Assert.NotNull(table.Find("mistral-large-latest", CostTestData.Day));
        Assert.NotNull(table.Find("llama-3.1-70b", CostTestData.Day));
    }

    [Theory]
    [InlineData("acme-large-2025-12-01", "acme-large")]
    [InlineData("ACME-LARGE", "acme-large")]
    [InlineData("acme-large-2026-03-01", "acme-large")]
    [InlineData("acme-large-20260301", "acme-large")]
    [InlineData("acme-large@20260301", "acme-large")]
    [InlineData("acme-large-latest", "acme-large")]
    [InlineData("acme.acme-large-20260301-v2:0", "acme-large")]
    [InlineData("vendors/acme-large", "acme-large")]
    [InlineData("acme-think", "acme-think")]
    public void Find_AliasesAndDatedIds_ResolveToTheBaseEntry(string id, string expected)
    {
        Assert.Equal(expected, CostTestData.Table.Find(id, CostTestData.Day)?.ModelId);
    }

    [Theory]
    [InlineData("acme-huge")]
    [InlineData("")]
    [InlineData("2026-03-01")]
    public void Find_UnknownModel_IsNull(string id)
    {
        Assert.Null(CostTestData.Table.Find(id, CostTestData.Day));
    }

    [Fact]
    public void Find_EffectiveDates_PickThePriceOfTheEventsDay()
    {
        var table = CostTestData.Table;

        Assert.Equal(3m, table.Find("acme-large", new DateTimeOffset(2026, 1, 31, 23, 59, 59, TimeSpan.Zero))!.Prices.Input);
        Assert.Equal(2m, table.Find("acme-large", new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero))!.Prices.Input);
        // An offset is converted to UTC first: 2026-02-01T01:00+02:00 is still January 31 in UTC.
        Assert.Equal(3m, table.Find("acme-large", new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.FromHours(2)))!.Prices.Input);
        // Older than every row: the earliest row.
        Assert.Equal(3m, table.Find("acme-large", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))!.Prices.Input);
        // An alias of the old row reaches the new price too: aliases name the model, dates pick the row.
        Assert.Equal(2m, table.Find("acme-large-2025-12-01", CostTestData.Day)!.Prices.Input);
    }

    [Fact]
    public void Find_ProviderTag_PicksAmongProvidersOfOneModel()
    {
        var table = CostTestData.Table;

        Assert.Equal("acme", table.Find("open-70b", CostTestData.Day)!.Provider);
        Assert.Equal("selfhost", table.Find("open-70b", CostTestData.Day, "selfhost")!.Provider);
        Assert.Equal("acme", table.Find("open-70b", CostTestData.Day, "nobody")!.Provider);
    }

    [Fact]
    public void WithOverrides_ReplacesSameRow_AddsNewModelsAndDates()
    {
        var overrides = PriceTable.Parse("""
            { "schema_version": 1, "version": "host-7", "providers": [ { "id": "acme", "source": "contract", "read_on": "2026-03-01", "models": [
              { "id": "acme-large", "effective_from": "2026-02-01", "prices": { "input": 1, "output": 5 } },
              { "id": "acme-large", "effective_from": "2026-03-01", "prices": { "input": 0.5, "output": 2 } },
              { "id": "house-model", "effective_from": "2026-01-01", "prices": { "input": 0.1, "output": 0.1 } } ] } ] }
            """);

        var merged = CostTestData.Table.WithOverrides(overrides);

        Assert.Equal("host-7", merged.Version);
        Assert.Equal(3m, merged.Find("acme-large", new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero))!.Prices.Input);
        var february = merged.Find("acme-large", new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero))!;
        Assert.Equal(1m, february.Prices.Input);
        Assert.Equal("host-7:acme/acme-large@2026-02-01", february.PriceVersion);
        Assert.Equal(0.5m, merged.Find("acme-large", CostTestData.Day)!.Prices.Input);
        Assert.Equal("test-1:acme/acme-think@2025-01-01", merged.Find("acme-think", CostTestData.Day)!.PriceVersion);
        Assert.NotNull(merged.Find("house-model", CostTestData.Day));
    }

    [Fact]
    public void Parse_FallbackRates_CachedAndCacheWriteToInput_ReasoningToOutput()
    {
        var prices = CostTestData.Table.Find("open-70b", CostTestData.Day)!.Prices;

        Assert.Equal(0.88m, prices.CachedInputRate);
        Assert.Equal(0.88m, prices.CacheWriteRate);
        Assert.Equal(0.88m, prices.ReasoningRate);
    }

    public static TheoryData<string, string, string> BadTables => new()
    {
        { "{", ProblemCodes.InvalidJson, "$" },
        { "[]", ProblemCodes.InvalidType, "$" },
        { """{"schema_version": 2, "version": "v", "providers": []}""", ProblemCodes.UnsupportedSchemaVersion, "$.schema_version" },
        { """{"schema_version": 1, "providers": []}""", ProblemCodes.MissingField, "$.version" },
        { """{"schema_version": 1, "version": "v", "version": "w", "providers": []}""", ProblemCodes.InvalidJson, "$" },
        { """{"schema_version": 1, "version": " v", "providers": []}""", ProblemCodes.InvalidId, "$.version" },
        { Model("""{"id": "m", "effective_from": "2026-01-01", "prices": {"output": 1}}"""), ProblemCodes.MissingField, "$.providers[1].models[0].prices.input" },
        { Model("""{"id": "m", "effective_from": "2026-01-01", "prices": {"input": -1, "output": 1}}"""), ProblemCodes.InvalidPrice, "$.providers[1].models[0].prices.input" },
        { Model("""{"id": "m", "effective_from": "2026-01-01", "prices": {"input": "1", "output": 1}}"""), ProblemCodes.InvalidType, "$.providers[1].models[0].prices.input" },
        { Model("""{"id": "m", "effective_from": "01/02/2026", "prices": {"input": 1, "output": 1}}"""), ProblemCodes.InvalidDate, "$.providers[1].models[0].effective_from" },
        { Model("""{"id": "m", "effective_from": "2026-01-01", "prices": {"input": 1, "output": 1}, "tiers": [{"above_prompt_tokens": 200, "prices": {"input": 2, "output": 2}}, {"above_prompt_tokens": 100, "prices": {"input": 3, "output": 3}}]}"""), ProblemCodes.UnorderedTiers, "$.providers[1].models[0].tiers[1].above_prompt_tokens" },
        { Model("""{"id": "m", "effective_from": "2026-01-01", "prices": {"input": 1, "output": 1}}, {"id": "n", "aliases": ["m"], "effective_from": "2026-01-01", "prices": {"input": 1, "output": 1}}"""), ProblemCodes.DuplicateModel, "$.providers[1].models[1]" },
        { """{"schema_version": 1, "version": "v", "providers": [{"id": "p", "models": [{"id": "m", "effective_from": "2026-01-01", "read_on": "2026-01-01", "prices": {"input": 1, "output": 1}}]}]}""", ProblemCodes.MissingField, "$.providers[0].models[0].source" },
    };

    [Theory]
    [MemberData(nameof(BadTables))]
    public void TryParse_BadTable_ReportsCodeAndPath(string json, string code, string path)
    {
        Assert.False(PriceTable.TryParse(Encoding.UTF8.GetBytes(json), out var table, out var errors));
        Assert.Null(table);
        Assert.Contains(errors, e => e.Code == code && e.Path == path);
    }

    [Fact]
    public void Parse_SeveralProblems_ListsEveryOne()
    {
        var json = Model("""{"id": "m", "effective_from": "x", "prices": {"input": -1}}""");

        var ex = Assert.Throws<PriceTableException>(() => PriceTable.Parse(json));

        Assert.Equal(3, ex.Errors.Count);
        Assert.Contains("$.providers[1].models[0].prices.output", ex.Message, StringComparison.Ordinal);
    }

    private static string Model(string models) => $$"""
        {"schema_version": 1, "version": "v", "providers": [
          {"id": "ok", "source": "s", "read_on": "2026-01-01", "models": []},
          {"id": "p", "source": "s", "read_on": "2026-01-01", "models": [{{models}}]}]}
        """;
}
