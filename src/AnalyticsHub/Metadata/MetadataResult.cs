using AnalyticsHub.Events;

namespace AnalyticsHub.Metadata;

/// <summary>The outcome of a registry write: the new revision, or why nothing was written.</summary>
/// <typeparam name="T">The document's record.</typeparam>
public sealed record MetadataResult<T>
    where T : class
{
    /// <summary>How the write ended.</summary>
    public required MetadataWriteStatus Status { get; init; }

    /// <summary>The revision written; on a refusal by the store, the stored revision it was refused against (null when there is none or the document was invalid).</summary>
    public MetadataEntry<T>? Entry { get; init; }

    /// <summary>The problems, with codes and JSON paths: the errors that refused the write, or the warnings of a successful one.</summary>
    public IReadOnlyList<Problem> Problems { get; init; } = [];

    /// <summary>Whether the write happened.</summary>
    public bool IsSuccess => Status == MetadataWriteStatus.Succeeded;
}
