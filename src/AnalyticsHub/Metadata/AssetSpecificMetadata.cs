using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Metadata;

/// <summary>
/// What is specific to an asset's kind (wire format 1.7 <c>AssetSpecificMetadata</c>), internally tagged by
/// <c>metadata_type</c>: <c>model</c>, <c>prompt_template</c>, <c>dataset</c>, <c>endpoint</c>, <c>application</c> or
/// <c>custom</c>.
/// </summary>
/// <remarks>The tag may come anywhere in its object on input; it is written first.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "metadata_type")]
[JsonDerivedType(typeof(ModelMetadata), "model")]
[JsonDerivedType(typeof(PromptTemplateMetadata), "prompt_template")]
[JsonDerivedType(typeof(DatasetMetadata), "dataset")]
[JsonDerivedType(typeof(EndpointMetadata), "endpoint")]
[JsonDerivedType(typeof(ApplicationMetadata), "application")]
[JsonDerivedType(typeof(CustomAssetMetadata), "custom")]
public abstract record AssetSpecificMetadata
{
    private protected AssetSpecificMetadata()
    {
    }
}

/// <summary>A model's provider, family, capabilities and prices (wire format 1.7 <c>ModelMetadata</c>).</summary>
public sealed record ModelMetadata : AssetSpecificMetadata
{
    /// <summary>The provider, e.g. <c>openai</c>; the price rows the registry feeds belong to it.</summary>
    public required string Provider { get; init; }

    /// <summary>The model family, e.g. <c>gpt-4o</c>.</summary>
    public required string Family { get; init; }

    /// <summary>The parameter count as the provider states it, e.g. <c>70B</c> (written as null when absent).</summary>
    public string? Parameters { get; init; }

    /// <summary>The context window in tokens (written as null when absent).</summary>
    public uint? ContextWindow { get; init; }

    /// <summary>What the model can do, e.g. <c>vision</c>, <c>tools</c>.</summary>
    public required IReadOnlyList<string> Capabilities { get; init; }

    /// <summary>Its prices; the registry feeds them to the hub's price table (written as null when absent).</summary>
    public CostInfo? CostInfo { get; init; }

    /// <summary>Benchmark scores by name (empty by default).</summary>
    public IReadOnlyDictionary<string, double> Benchmarks { get; init => field = value ?? new Dictionary<string, double>(); } = new Dictionary<string, double>();
}

/// <summary>
/// A model's token prices (wire format 1.7 <c>CostInfo</c>, with the additive <c>effective_from</c>): per token, per
/// thousand or per million tokens as <see cref="BillingUnit"/> says, in <see cref="Currency"/>.
/// </summary>
public sealed record CostInfo
{
    /// <summary>The price of an input token, in <see cref="Currency"/> per <see cref="BillingUnit"/>.</summary>
    public required double CostPerInputToken { get; init; }

    /// <summary>The price of an output token, in <see cref="Currency"/> per <see cref="BillingUnit"/>.</summary>
    public required double CostPerOutputToken { get; init; }

    /// <summary>An ISO 4217 code, e.g. <c>USD</c>; only USD prices feed the hub's USD price table.</summary>
    public required string Currency { get; init; }

    /// <summary>What the prices are per: <c>token</c>, <c>1k_tokens</c> or <c>1m_tokens</c> (see <see cref="BillingUnits"/>).</summary>
    public required string BillingUnit { get; init; }

    /// <summary>
    /// Additive: the first day (UTC) these prices apply; the asset's <c>updated_at</c> day when absent. Left out of the
    /// JSON when absent, so older readers read the object unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateOnly? EffectiveFrom { get; init; }
}

/// <summary>A prompt template with its variables and examples (wire format 1.7 <c>PromptTemplateMetadata</c>).</summary>
public sealed record PromptTemplateMetadata : AssetSpecificMetadata
{
    /// <summary>The template text; variables appear as <c>{{name}}</c>.</summary>
    public required string Template { get; init; }

    /// <summary>Its variables.</summary>
    public required IReadOnlyList<TemplateVariable> Variables { get; init; }

    /// <summary>Its category, e.g. <c>support</c>.</summary>
    public required string Category { get; init; }

    /// <summary>The expected output format, e.g. <c>json</c> (written as null when absent).</summary>
    public string? OutputFormat { get; init; }

    /// <summary>Worked examples (empty by default).</summary>
    public IReadOnlyList<PromptExample> Examples { get; init => field = value ?? []; } = [];
}

/// <summary>One variable of a prompt template (wire format 1.7 <c>TemplateVariable</c>).</summary>
public sealed record TemplateVariable
{
    /// <summary>Its name, as written between <c>{{</c> and <c>}}</c> in the template.</summary>
    public required string Name { get; init; }

    /// <summary>What it holds.</summary>
    public required string Description { get; init; }

    /// <summary>Whether a caller must give it.</summary>
    public required bool Required { get; init; }

    /// <summary>Its value when not given (written as null when absent).</summary>
    public string? DefaultValue { get; init; }
}

/// <summary>One example of a prompt template (wire format 1.7 <c>PromptExample</c>).</summary>
public sealed record PromptExample
{
    /// <summary>The variables' values.</summary>
    public required IReadOnlyDictionary<string, string> Input { get; init; }

    /// <summary>The expected output.</summary>
    public required string Output { get; init; }
}

/// <summary>A dataset's size, schema, sources and quality (wire format 1.7 <c>DatasetMetadata</c>).</summary>
public sealed record DatasetMetadata : AssetSpecificMetadata
{
    /// <summary>Its size in bytes.</summary>
    public required ulong SizeBytes { get; init; }

    /// <summary>Its number of records.</summary>
    public required ulong RecordCount { get; init; }

    /// <summary>Its schema (written as null when absent).</summary>
    public DataSchema? Schema { get; init; }

    /// <summary>Where it comes from (URLs, table names).</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Quality scores by name (empty by default).</summary>
    public IReadOnlyDictionary<string, double> QualityMetrics { get; init => field = value ?? new Dictionary<string, double>(); } = new Dictionary<string, double>();
}

/// <summary>A dataset's schema (wire format 1.7 <c>DataSchema</c>).</summary>
public sealed record DataSchema
{
    /// <summary>Its fields; names are unique.</summary>
    public required IReadOnlyList<SchemaField> Fields { get; init; }
}

/// <summary>One field of a dataset's schema (wire format 1.7 <c>SchemaField</c>).</summary>
public sealed record SchemaField
{
    /// <summary>Its name.</summary>
    public required string Name { get; init; }

    /// <summary>Its type as the dataset states it, e.g. <c>string</c>.</summary>
    public required string FieldType { get; init; }

    /// <summary>Whether every record has it.</summary>
    public required bool Required { get; init; }

    /// <summary>What it holds (written as null when absent).</summary>
    public string? Description { get; init; }
}

/// <summary>An API endpoint with its limits and service level (wire format 1.7 <c>EndpointMetadata</c>).</summary>
public sealed record EndpointMetadata : AssetSpecificMetadata
{
    /// <summary>Its absolute http or https URL.</summary>
    public required string Url { get; init; }

    /// <summary>Its HTTP method, e.g. <c>POST</c>.</summary>
    public required string Method { get; init; }

    /// <summary>How callers authenticate, e.g. <c>bearer</c>.</summary>
    public required string AuthType { get; init; }

    /// <summary>Its rate limit (written as null when absent).</summary>
    public RateLimit? RateLimit { get; init; }

    /// <summary>Its service level (written as null when absent).</summary>
    public SlaInfo? Sla { get; init; }
}

/// <summary>An endpoint's rate limit (wire format 1.7 <c>RateLimit</c>).</summary>
public sealed record RateLimit
{
    /// <summary>Requests per minute, at least 1.</summary>
    public required uint RequestsPerMinute { get; init; }

    /// <summary>Tokens per minute (written as null when absent).</summary>
    public uint? TokensPerMinute { get; init; }
}

/// <summary>An endpoint's service level (wire format 1.7 <c>SlaInfo</c>).</summary>
public sealed record SlaInfo
{
    /// <summary>The promised uptime, in percent (0..100).</summary>
    public required double UptimePercent { get; init; }

    /// <summary>The promised latency bound, in milliseconds.</summary>
    public required uint MaxLatencyMs { get; init; }

    /// <summary>The support level, e.g. <c>24x7</c>.</summary>
    public required string SupportLevel { get; init; }
}

/// <summary>An application with its stack, dependencies and deployment (wire format 1.7 <c>ApplicationMetadata</c>).</summary>
public sealed record ApplicationMetadata : AssetSpecificMetadata
{
    /// <summary>Its URL (written as null when absent).</summary>
    public string? Url { get; init; }

    /// <summary>What it is built with.</summary>
    public required IReadOnlyList<string> TechStack { get; init; }

    /// <summary>What it depends on; names are unique.</summary>
    public required IReadOnlyList<Dependency> Dependencies { get; init; }

    /// <summary>Where it runs (written as null when absent).</summary>
    public DeploymentInfo? Deployment { get; init; }
}

/// <summary>One dependency of an application (wire format 1.7 <c>Dependency</c>).</summary>
public sealed record Dependency
{
    /// <summary>Its name; for an asset of the registry, its <c>asset_id</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The version depended on.</summary>
    public required string Version { get; init; }

    /// <summary>What kind of dependency, e.g. <c>model</c>, <c>library</c>.</summary>
    public required string DependencyType { get; init; }
}

/// <summary>Where and when an application was deployed (wire format 1.7 <c>DeploymentInfo</c>).</summary>
public sealed record DeploymentInfo
{
    /// <summary>The environment, e.g. <c>production</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>The region, e.g. <c>eu-west-1</c>.</summary>
    public required string Region { get; init; }

    /// <summary>When it was deployed.</summary>
    public required DateTimeOffset DeployedAt { get; init; }

    /// <summary>Who deployed it.</summary>
    public required string DeployedBy { get; init; }
}

/// <summary>
/// A custom asset's metadata (wire format 1.7 <c>custom</c>): any fields, kept beside the tag, e.g.
/// <c>{"metadata_type":"custom","foo":1}</c>.
/// </summary>
public sealed record CustomAssetMetadata : AssetSpecificMetadata
{
    /// <summary>The fields beside <c>metadata_type</c>, in their order.</summary>
    /// <remarks>Settable by the JSON reader only; build one in code with <see cref="Create"/>.</remarks>
    [JsonExtensionData]
    [JsonInclude]
    public Dictionary<string, JsonElement> Fields { get; internal set; } = [];

    /// <summary>Custom metadata with these fields.</summary>
    /// <param name="fields">The fields beside <c>metadata_type</c>.</param>
    public static CustomAssetMetadata Create(IEnumerable<KeyValuePair<string, JsonElement>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new() { Fields = new Dictionary<string, JsonElement>(fields, StringComparer.Ordinal) };
    }
}
