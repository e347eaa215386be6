using System.Text.Json.Serialization;
using AnalyticsHub.Metadata.Json;

namespace AnalyticsHub.Metadata;

/// <summary>
/// The kind of a registered asset (wire format 1.7): one of the known kinds, or <see cref="Custom"/> with a free-text
/// name, written <c>{"custom": "agent"}</c>; a bare unknown string is read as custom (decision 2).
/// </summary>
[JsonConverter(typeof(OpenEnumJsonConverter<AssetType>))]
public readonly record struct AssetType : IOpenEnum<AssetType>
{
    private static readonly string[] Names = ["model", "fine_tuned_model", "prompt_template", "dataset", "endpoint", "application"];

    private AssetType(string? knownName, string? customName)
    {
        KnownName = knownName;
        CustomName = customName;
    }

    /// <summary><c>model</c>: a model served by a provider.</summary>
    public static AssetType Model => new("model", null);

    /// <summary><c>fine_tuned_model</c>: a fine-tuned model (described with model metadata).</summary>
    public static AssetType FineTunedModel => new("fine_tuned_model", null);

    /// <summary><c>prompt_template</c>.</summary>
    public static AssetType PromptTemplate => new("prompt_template", null);

    /// <summary><c>dataset</c>.</summary>
    public static AssetType Dataset => new("dataset", null);

    /// <summary><c>endpoint</c>: an API endpoint.</summary>
    public static AssetType Endpoint => new("endpoint", null);

    /// <summary><c>application</c>.</summary>
    public static AssetType Application => new("application", null);

    /// <summary>The wire name of a known kind; null for a custom one.</summary>
    public string? KnownName { get; }

    /// <summary>The free-text name of a custom kind; null for a known one.</summary>
    public string? CustomName { get; }

    /// <summary>Whether this is a model or a fine-tuned model, the kinds the price table and the model warnings read.</summary>
    public bool IsModel => KnownName is "model" or "fine_tuned_model";

    static IReadOnlyList<string> IOpenEnum<AssetType>.KnownNames => Names;

    /// <summary>A kind outside the known ones.</summary>
    /// <param name="name">The free-text name, e.g. <c>agent</c>.</param>
    public static AssetType Custom(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(null, name);
    }

    static AssetType IOpenEnum<AssetType>.FromKnown(string name) => new(name, null);

    static AssetType IOpenEnum<AssetType>.FromCustom(string name) => Custom(name);

    /// <summary>The wire name, or the custom name.</summary>
    public override string ToString() => KnownName ?? CustomName ?? string.Empty;
}
