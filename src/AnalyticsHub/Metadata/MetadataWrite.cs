namespace AnalyticsHub.Metadata;

/// <summary>What a create or update hands the store: the document and the values its list filters match.</summary>
public sealed record MetadataWrite
{
    /// <summary>The kind of document.</summary>
    public required MetadataKind Kind { get; init; }

    /// <summary>The document's id.</summary>
    public required string Id { get; init; }

    /// <summary>The document as UTF-8 JSON.</summary>
    public required ReadOnlyMemory<byte> Document { get; init; }

    /// <summary>The values list filters match.</summary>
    public required IReadOnlyDictionary<string, string> Index { get; init; }
}
