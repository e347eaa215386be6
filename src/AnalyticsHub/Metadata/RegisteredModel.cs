namespace AnalyticsHub.Metadata;

/// <summary>A model of the registry as the hub sees it: the asset that names it and where it is in its life.</summary>
/// <param name="AssetId">The asset's id.</param>
/// <param name="ModelId">The asset's name, the id events carry as <c>model_id</c>.</param>
/// <param name="Status">The asset's status.</param>
/// <param name="Version">The asset's semantic version.</param>
public sealed record RegisteredModel(string AssetId, string ModelId, AssetStatus Status, string Version);
