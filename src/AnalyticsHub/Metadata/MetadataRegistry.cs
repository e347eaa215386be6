using System.Collections.Frozen;
using System.Globalization;
using AnalyticsHub.Cost;

namespace AnalyticsHub.Metadata;

/// <summary>
/// The hub's metadata: the asset registry (models, prompt templates, datasets, endpoints, applications), dashboards and
/// user preferences with saved queries, each a <see cref="MetadataCollection{T}"/> over one <see cref="IMetadataStore"/>.
/// Model assets feed the hub: their prices override the price table from their effective date, and their status drives
/// the <c>model_status</c> stage's warnings.
/// </summary>
/// <remarks>
/// Registered by <c>AddAnalyticsHub</c> as a singleton (resolve <see cref="MetadataRegistry"/>). The model view is loaded
/// from the store on first use (a write of an asset, the first batch of the <c>model_status</c> stage, or
/// <see cref="RefreshModelsAsync"/>) and kept up to date by this registry's own writes; call
/// <see cref="RefreshModelsAsync"/> after another process changed a shared store. Thread-safe.
/// </remarks>
public sealed class MetadataRegistry
{
    private readonly IMetadataStore _store;
    private readonly CostCalculator? _calculator;
    private readonly PriceTable? _basePrices;
    private readonly Lock _modelsGate = new();
    private readonly Dictionary<string, MetadataEntry<AssetMetadata>> _models = new(StringComparer.Ordinal);
    private volatile bool _loaded;
    private volatile FrozenDictionary<string, RegisteredModel> _byModelId = FrozenDictionary<string, RegisteredModel>.Empty;

    /// <summary>Creates a registry over a store.</summary>
    /// <param name="store">Where the documents live.</param>
    /// <param name="options">Extra measurements widgets and saved queries may name; none by default.</param>
    /// <param name="timeProvider">The clock that stamps <c>created_at</c> and <c>updated_at</c>; the system clock by default.</param>
    /// <param name="calculator">The hub's cost calculator, whose price table the model assets' prices extend; none by default.</param>
    public MetadataRegistry(IMetadataStore store, MetadataOptions? options = null, TimeProvider? timeProvider = null, CostCalculator? calculator = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _calculator = calculator;
        _basePrices = calculator?.PriceTable;
        var clock = timeProvider ?? TimeProvider.System;
        var validator = new MetadataValidator(options?.Measurements ?? []);
        Assets = new(store, AssetDocumentType.Instance, validator, clock, AssetChangedAsync);
        Dashboards = new(store, DashboardDocumentType.Instance, validator, clock);
        UserPreferences = new(store, UserPreferencesDocumentType.Instance, validator, clock);
    }

    /// <summary>The store behind the registry.</summary>
    public IMetadataStore Store => _store;

    /// <summary>The asset registry, keyed by <c>asset_id</c>.</summary>
    public MetadataCollection<AssetMetadata> Assets { get; }

    /// <summary>Dashboards, keyed by <c>dashboard_id</c>.</summary>
    public MetadataCollection<DashboardConfig> Dashboards { get; }

    /// <summary>User preferences with saved queries, keyed by <c>user_id</c>.</summary>
    public MetadataCollection<UserPreferences> UserPreferences { get; }

    /// <summary>The models of the registry by the id events carry (case-insensitive), as of the last change or load.</summary>
    public IReadOnlyDictionary<string, RegisteredModel> Models => _byModelId;

    /// <summary>The price rows the model assets feed to the hub's price table, as of the last change or load.</summary>
    public IReadOnlyList<ModelPrice> ModelPrices { get; private set; } = [];

    /// <summary>Reloads every model asset from the store and rebuilds the hub's price table and model view.</summary>
    public async ValueTask RefreshModelsAsync(CancellationToken cancellationToken = default)
    {
        var loaded = new List<MetadataEntry<AssetMetadata>>();
        foreach (var type in new[] { AssetType.Model, AssetType.FineTunedModel })
        {
            loaded.AddRange(await Assets.ListAllAsync(new Dictionary<string, string> { ["asset_type"] = type.KnownName! }, cancellationToken).ConfigureAwait(false));
        }

        lock (_modelsGate)
        {
            Assets.ReplaceKeepingNewer(_models, loaded);
            Rebuild();
        }

        _loaded = true;
    }

    /// <summary>Loads the model view on first use.</summary>
    internal ValueTask EnsureModelsLoadedAsync(CancellationToken cancellationToken) => _loaded ? ValueTask.CompletedTask : RefreshModelsAsync(cancellationToken);

    /// <summary>The registered model an event's <c>model_id</c> names: by asset name, then through the price table's aliases and dated ids.</summary>
    internal RegisteredModel? FindModel(string modelId)
    {
        var models = _byModelId;
        if (models.Count == 0)
        {
            return null;
        }

        if (models.TryGetValue(modelId, out var model))
        {
            return model;
        }

        return _calculator?.PriceTable.ResolveModelId(modelId) is { } resolved && models.TryGetValue(resolved, out model) ? model : null;
    }

    private async ValueTask AssetChangedAsync(MetadataEntry<AssetMetadata> entry, CancellationToken cancellationToken)
    {
        await EnsureModelsLoadedAsync(cancellationToken).ConfigureAwait(false);
        lock (_modelsGate)
        {
            var id = entry.Item.AssetId;
            if (_models.TryGetValue(id, out var known) && known.Revision >= entry.Revision)
            {
                return;
            }

            if (entry.IsDeleted || !entry.Item.AssetType.IsModel)
            {
                _models.Remove(id);
            }
            else
            {
                _models[id] = entry;
            }

            Rebuild();
        }
    }

    /// <summary>Rebuilds the model view and the price table from <see cref="_models"/>; under <see cref="_modelsGate"/>.</summary>
    private void Rebuild()
    {
        // Several assets may name one model (one per version): the latest updated wins the view.
        var ordered = _models.Values.OrderBy(m => m.Item.UpdatedAt).ThenBy(m => m.Item.AssetId, StringComparer.Ordinal).ToList();
        var byModelId = new Dictionary<string, RegisteredModel>(StringComparer.OrdinalIgnoreCase);
        var rows = new Dictionary<(string, string, DateOnly), ModelPrice>();
        foreach (var entry in ordered)
        {
            var asset = entry.Item;
            byModelId[asset.Name] = new RegisteredModel(asset.AssetId, asset.Name, asset.Status, asset.Version.Version);
            if (PriceOf(entry) is { } row)
            {
                rows[(row.Provider.ToUpperInvariant(), row.ModelId.ToUpperInvariant(), row.EffectiveFrom)] = row;
            }
        }

        _byModelId = byModelId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        ModelPrices = [.. rows.Values.OrderBy(r => r.ModelId, StringComparer.Ordinal).ThenBy(r => r.EffectiveFrom)];
        if (_calculator is not null && _basePrices is not null)
        {
            _calculator.UsePriceTable(ModelPrices.Count == 0 ? _basePrices : _basePrices.WithOverrides(new PriceTable("registry", ModelPrices)));
        }
    }

    /// <summary>The price row of a model asset: USD prices of an asset that is not a draft, per million tokens, from its effective date.</summary>
    private static ModelPrice? PriceOf(MetadataEntry<AssetMetadata> entry)
    {
        var asset = entry.Item;
        if (asset.Status == AssetStatus.Draft || asset.Metadata is not ModelMetadata { CostInfo: { Currency: "USD" } cost } model
            || !BillingUnits.TryGetTokens(cost.BillingUnit, out var tokensPerUnit))
        {
            return null;
        }

        var perMillion = 1_000_000m / tokensPerUnit;
        var updated = DateOnly.FromDateTime(asset.UpdatedAt.UtcDateTime);
        var from = cost.EffectiveFrom ?? updated;
        return new ModelPrice
        {
            Provider = model.Provider,
            ModelId = asset.Name,
            EffectiveFrom = from,
            Prices = new TokenPrices { Input = (decimal)cost.CostPerInputToken * perMillion, Output = (decimal)cost.CostPerOutputToken * perMillion },
            Source = "metadata registry asset " + asset.AssetId,
            ReadOn = updated,
            PriceVersion = string.Create(CultureInfo.InvariantCulture, $"registry:{asset.AssetId}@r{entry.Revision}:{model.Provider}/{asset.Name}@{from:yyyy-MM-dd}"),
        };
    }
}
