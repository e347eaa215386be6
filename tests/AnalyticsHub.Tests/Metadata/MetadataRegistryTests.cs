using AnalyticsHub.Cost;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metadata;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Metadata;

public class MetadataRegistryTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static AssetMetadata ModelAsset(string id, string name, AssetStatus status, double input, double output, string unit = "token", DateOnly? from = null, string currency = "USD")
    {
        var template = MetadataValidationTests.Model;
        var model = (ModelMetadata)template.Metadata;
        return template with
        {
            AssetId = id,
            Name = name,
            Status = status,
            Metadata = model with { CostInfo = new CostInfo { CostPerInputToken = input, CostPerOutputToken = output, Currency = currency, BillingUnit = unit, EffectiveFrom = from } },
        };
    }

    private (MetadataRegistry Registry, CostCalculator Calculator) Create()
    {
        var calculator = new CostCalculator(PriceTable.Default);
        return (new MetadataRegistry(new InMemoryMetadataStore(_clock), null, _clock, calculator), calculator);
    }

    [Fact]
    public async Task ModelPrices_OverrideTheTable_FromTheirEffectiveDate()
    {
        var (registry, calculator) = Create();
        var before = calculator.Quote("gpt-4o", Day1, 1_000_000, 1_000_000)!.Value;

        var result = await registry.Assets.CreateAsync(ModelAsset("m-4o", "gpt-4o", AssetStatus.Active, 3e-6, 1.2e-5, from: new DateOnly(2026, 3, 2)));

        Assert.True(result.IsSuccess);
        var row = Assert.Single(registry.ModelPrices);
        Assert.Equal(3m, row.Prices.Input);
        Assert.Equal(12m, row.Prices.Output);
        var after = calculator.Quote("gpt-4o", Day1, 1_000_000, 1_000_000)!.Value;
        Assert.Equal(15m, after.TotalUsd);
        Assert.StartsWith("registry:m-4o@r1:", after.Price.PriceVersion, StringComparison.Ordinal);
        Assert.Equal(before.TotalUsd, calculator.Quote("gpt-4o", Day1.AddDays(-1), 1_000_000, 1_000_000)!.Value.TotalUsd);
    }

    [Fact]
    public async Task ModelPrices_UnitsConvert_AndTheDefaultDateIsTheUpdateDay()
    {
        var (registry, calculator) = Create();
        Assert.Null(calculator.Quote("acme-1", Day1, 1000, 1000));

        await registry.Assets.CreateAsync(ModelAsset("acme", "acme-1", AssetStatus.Active, 0.5, 1.5, unit: "per_1k_tokens"));

        var quote = calculator.Quote("acme-1", Day1, 1000, 1000)!.Value;
        Assert.Equal(2m, quote.TotalUsd);
        Assert.Equal(new DateOnly(2026, 3, 1), quote.Price.EffectiveFrom);
    }

    [Fact]
    public async Task ModelPrices_FollowUpdatesDeletesAndRestores()
    {
        var (registry, calculator) = Create();
        var created = await registry.Assets.CreateAsync(ModelAsset("acme", "acme-1", AssetStatus.Active, 1e-6, 1e-6));

        var updated = await registry.Assets.UpdateAsync(ModelAsset("acme", "acme-1", AssetStatus.Active, 2e-6, 2e-6), created.Entry!.Revision);
        Assert.Equal(4m, calculator.Quote("acme-1", Day1, 1_000_000, 1_000_000)!.Value.TotalUsd);

        await registry.Assets.DeleteAsync("acme", updated.Entry!.Revision);
        Assert.Null(calculator.Quote("acme-1", Day1, 1, 1));
        Assert.Empty(registry.Models);

        await registry.Assets.RestoreAsync("acme", 3);
        Assert.NotNull(calculator.Quote("acme-1", Day1, 1, 1));
    }

    [Theory]
    [InlineData(AssetStatus.Draft, "USD")]
    [InlineData(AssetStatus.Active, "EUR")]
    public async Task ModelPrices_DraftsAndOtherCurrencies_DoNotFeedTheTable(AssetStatus status, string currency)
    {
        var (registry, calculator) = Create();

        var result = await registry.Assets.CreateAsync(ModelAsset("acme", "acme-1", status, 1e-6, 1e-6, currency: currency));

        Assert.True(result.IsSuccess);
        Assert.Equal(ProblemCodes.PriceNotApplied, Assert.Single(result.Problems).Code);
        Assert.Empty(registry.ModelPrices);
        Assert.Null(calculator.Quote("acme-1", Day1, 1, 1));
    }

    [Fact]
    public async Task RefreshModelsAsync_LoadsWhatAnotherRegistryWrote()
    {
        var store = new InMemoryMetadataStore(_clock);
        var writer = new MetadataRegistry(store, null, _clock);
        await writer.Assets.CreateAsync(ModelAsset("acme", "acme-1", AssetStatus.Deprecated, 1e-6, 1e-6));
        var calculator = new CostCalculator(PriceTable.Default);
        var reader = new MetadataRegistry(store, null, _clock, calculator);
        Assert.Empty(reader.Models);

        await reader.RefreshModelsAsync();

        Assert.Equal(AssetStatus.Deprecated, reader.Models["ACME-1"].Status);
        Assert.NotNull(calculator.Quote("acme-1", Day1, 1, 1));
    }

    [Fact]
    public async Task Update_KeepsCreatedAt_AndStampsUpdatedAt()
    {
        var (registry, _) = Create();
        var created = await registry.Assets.CreateAsync(ModelAsset("acme", "acme-1", AssetStatus.Active, 1e-6, 1e-6));
        _clock.Advance(TimeSpan.FromDays(3));

        var updated = await registry.Assets.UpdateAsync(ModelAsset("acme", "acme-1", AssetStatus.Deprecated, 1e-6, 1e-6) with { CreatedAt = DateTimeOffset.UnixEpoch }, 1);

        Assert.Equal(created.Entry!.Item.CreatedAt, updated.Entry!.Item.CreatedAt);
        Assert.Equal(_clock.GetUtcNow(), updated.Entry.Item.UpdatedAt);
        var history = await registry.Assets.GetHistoryAsync("acme");
        Assert.Equal([AssetStatus.Active, AssetStatus.Deprecated], history.Select(h => h.Item.Status));
    }

    [Fact]
    public async Task Update_StaleRevision_ReturnsTheStoredOneAndKeepsIt()
    {
        var (registry, _) = Create();
        await registry.Assets.CreateAsync(ModelAsset("acme", "acme-1", AssetStatus.Active, 1e-6, 1e-6));
        await registry.Assets.UpdateAsync(ModelAsset("acme", "acme-1", AssetStatus.Deprecated, 1e-6, 1e-6), 1);

        var stale = await registry.Assets.UpdateAsync(ModelAsset("acme", "acme-1", AssetStatus.Archived, 1e-6, 1e-6), 1);

        Assert.Equal(MetadataWriteStatus.RevisionConflict, stale.Status);
        Assert.Equal(AssetStatus.Deprecated, stale.Entry!.Item.Status);
        Assert.Equal(AssetStatus.Deprecated, registry.Models["acme-1"].Status);
        Assert.Equal(AssetStatus.Deprecated, (await registry.Assets.GetAsync("acme"))!.Item.Status);
    }

    [Fact]
    public async Task ListAsync_FiltersByIndexedFields_AndRefusesUnknownOnes()
    {
        var (registry, _) = Create();
        await registry.Assets.CreateAsync(ModelAsset("a", "m-a", AssetStatus.Active, 1e-6, 1e-6));
        await registry.Assets.CreateAsync(ModelAsset("b", "m-b", AssetStatus.Deprecated, 1e-6, 1e-6));

        var deprecated = await registry.Assets.ListAsync(new Dictionary<string, string> { ["status"] = "deprecated", ["tag.tier"] = "gold", ["provider"] = "openai" });
        var unknown = await registry.Assets.ListAsync(new Dictionary<string, string> { ["colour"] = "red" });

        Assert.Equal(["b"], deprecated.Items.Select(e => e.Item.AssetId));
        Assert.Equal(("unknown_filter", "filters.colour"), (Assert.Single(unknown.Problems).Code, unknown.Problems[0].Path));
    }

    // ---- the model_status stage ----------------------------------------------------------------------

    private static AnalyticsEvent Usage(string model, DateTimeOffset at, int n, SourceModule module = SourceModule.LlmObservatory) =>
        SampleEvents.Event(SampleEvents.TokenUsage with { ModelId = model, RequestId = "r" + n }) with
        {
            Common = SampleEvents.Event(SampleEvents.TokenUsage).Common with { EventId = new Guid(n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), Timestamp = at, SourceModule = module },
        };

    [Fact]
    public async Task ModelStatusStage_WarnsOncePerModelAndDay()
    {
        var (registry, _) = Create();
        await registry.Assets.CreateAsync(ModelAsset("old", "gpt-4o", AssetStatus.Deprecated, 1e-6, 1e-6));
        await registry.Assets.CreateAsync(ModelAsset("gone", "acme-1", AssetStatus.Archived, 1e-6, 1e-6));
        await registry.Assets.CreateAsync(ModelAsset("fine", "acme-2", AssetStatus.Active, 1e-6, 1e-6));
        using var meter = new HubMeter();
        var stage = new ModelStatusStage(registry, meter);

        var first = new IngestionBatch([Usage("gpt-4o-2024-08-06", Day1, 1), Usage("GPT-4o", Day1.AddHours(2), 2), Usage("acme-1", Day1, 3), Usage("acme-2", Day1, 4), Usage("gpt-4o", Day1, 5, SourceModule.LlmAnalyticsHub)]);
        await stage.ProcessAsync(first, default);
        var second = new IngestionBatch([Usage("gpt-4o", Day1.AddHours(5), 6), Usage("gpt-4o", Day1.AddDays(1), 7)]);
        await stage.ProcessAsync(second, default);

        var warnings = first.Derived.Concat(second.Derived).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.Equal((SourceModule.LlmAnalyticsHub, EventType.Alert, Severity.Warning, ModelStatusStage.WarningCustomType), (w.SourceModule, w.Common.EventType, w.Severity, ((CustomPayload)w.Payload).CustomType)));
        var data = ((CustomPayload)warnings[0].Payload).Data;
        Assert.Equal(("deprecated", "old", "gpt-4o-2024-08-06"), (data.GetProperty("status").GetString(), data.GetProperty("asset_id").GetString(), data.GetProperty("model_id").GetString()));
        Assert.Equal(Usage("x", Day1, 1).EventId, warnings[0].Common.ParentEventId);
        Assert.Equal("archived", ((CustomPayload)warnings[1].Payload).Data.GetProperty("status").GetString());
        Assert.Equal(Usage("x", Day1, 7).EventId, warnings[2].Common.ParentEventId);
    }

    [Fact]
    public async Task ModelStatusStage_SameModelAndDay_GivesTheSameId_SoAReplayStoresOne()
    {
        var (registry, _) = Create();
        await registry.Assets.CreateAsync(ModelAsset("old", "gpt-4o", AssetStatus.Deprecated, 1e-6, 1e-6));
        using var meter = new HubMeter();
        var a = new IngestionBatch([Usage("gpt-4o", Day1, 1)]);
        var b = new IngestionBatch([Usage("gpt-4o", Day1.AddHours(3), 2)]);

        await new ModelStatusStage(registry, meter).ProcessAsync(a, default);
        await new ModelStatusStage(registry, meter).ProcessAsync(b, default);

        Assert.Equal(a.Derived[0].EventId, b.Derived[0].EventId);
    }

    // ---- through the hub -----------------------------------------------------------------------------

    [Fact]
    public async Task Hub_PricesWithTheRegistry_AndWarnsAboutDeprecatedModels()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddAnalyticsHub(o => o.Ingestion.RetryBaseDelay = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<MetadataRegistry>();
        Assert.Same(provider.GetRequiredService<IMetadataStore>(), registry.Store);
        await registry.Assets.CreateAsync(ModelAsset("acme", "acme-1", AssetStatus.Deprecated, 1e-6, 2e-6));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        _clock.Advance(TimeSpan.FromDays(2));

        await hub.IngestAsync([Usage("acme-1", Day1, 1), Usage("acme-1", Day1.AddMinutes(1), 2)]);
        await hub.FlushAsync();

        var warnings = await hub.QueryEventsAsync(new EventQuery { Subtype = ModelStatusStage.WarningCustomType });
        var costs = await hub.QueryEventsAsync(new EventQuery { Subtype = "token_cost" });
        Assert.Single(warnings.Events);
        Assert.Equal(2, costs.Events.Count);
        var cost = (TokenCostEvent)costs.Events[0].Payload;
        Assert.Equal(100 * 1e-6 + 50 * 2e-6, cost.TotalCostUsd, 12);
        Assert.StartsWith("registry:acme@r1", cost.PriceVersion, StringComparison.Ordinal);
    }
}
