namespace AnalyticsHub.Metadata;

/// <summary>
/// One registered asset — a model, prompt template, dataset, endpoint or application (wire format 1.7
/// <c>AssetMetadata</c>). Store it through <see cref="MetadataRegistry.Assets"/>; read and write its JSON with
/// <see cref="MetadataJsonContext"/>.
/// </summary>
public sealed record AssetMetadata
{
    /// <summary>The asset's id, unique among assets; no surrounding white space.</summary>
    public required string AssetId { get; init; }

    /// <summary>What kind of asset it is.</summary>
    public required AssetType AssetType { get; init; }

    /// <summary>Its name; for a model, the id events carry as <c>model_id</c> (e.g. <c>gpt-4o</c>).</summary>
    public required string Name { get; init; }

    /// <summary>What it is for.</summary>
    public required string Description { get; init; }

    /// <summary>Its semantic version (not the store's revision).</summary>
    public required VersionInfo Version { get; init; }

    /// <summary>Who owns it.</summary>
    public required OwnerInfo Owner { get; init; }

    /// <summary>Free labels (empty by default; null is refused on input); the <c>tag.&lt;key&gt;</c> list filters match them.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>When it was first registered; the registry keeps the first revision's value.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed; the registry sets it from its clock on every write.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Where it is in its life.</summary>
    public required AssetStatus Status { get; init; }

    /// <summary>What is specific to its kind.</summary>
    public required AssetSpecificMetadata Metadata { get; init; }
}
