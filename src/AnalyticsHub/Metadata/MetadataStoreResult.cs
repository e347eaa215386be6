using AnalyticsHub.Events;

namespace AnalyticsHub.Metadata;

/// <summary>The outcome of one write to an <see cref="IMetadataStore"/>.</summary>
public sealed record MetadataStoreResult
{
    /// <summary>How the write ended.</summary>
    public required MetadataWriteStatus Status { get; init; }

    /// <summary>The revision written; on a refusal, the stored revision it was refused against (null when there is none).</summary>
    public MetadataRecord? Record { get; init; }

    /// <summary>Why it was refused, with codes and paths; empty on success.</summary>
    public IReadOnlyList<Problem> Problems { get; init; } = [];

    /// <summary>Whether the write happened.</summary>
    public bool IsSuccess => Status == MetadataWriteStatus.Succeeded;

    /// <summary>A successful write of <paramref name="record"/>.</summary>
    public static MetadataStoreResult Written(MetadataRecord record) => new() { Status = MetadataWriteStatus.Succeeded, Record = record };

    /// <summary>A refusal: the status, the stored revision (if any) and one problem saying why, for the store to return.</summary>
    /// <param name="status">Why, as a status other than <see cref="MetadataWriteStatus.Succeeded"/> or <see cref="MetadataWriteStatus.Invalid"/>.</param>
    /// <param name="kind">The kind of document.</param>
    /// <param name="id">The document's id.</param>
    /// <param name="current">The stored revision, or null when there is none.</param>
    /// <param name="expectedRevision">The revision the write was based on, for a conflict.</param>
    public static MetadataStoreResult Refused(MetadataWriteStatus status, MetadataKind kind, string id, MetadataRecord? current, long expectedRevision = 0)
    {
        var name = $"{System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString())} '{id}'";
        var problem = status switch
        {
            MetadataWriteStatus.NotFound => new Problem(ProblemCodes.NotFound, "$", $"There is no {name}."),
            MetadataWriteStatus.AlreadyExists => new Problem(ProblemCodes.AlreadyExists, "$", $"The {name} already exists{(current?.IsDeleted == true ? " (soft-deleted; restore it)" : string.Empty)}; update it with its revision instead."),
            MetadataWriteStatus.RevisionConflict => new Problem(ProblemCodes.RevisionConflict, "revision", $"The {name} is at revision {current?.Revision}, not {expectedRevision}: it changed since it was read. Read it again, reapply the change and write with revision {current?.Revision}."),
            MetadataWriteStatus.Deleted => new Problem(ProblemCodes.ItemDeleted, "$", $"The {name} is deleted; restore it before changing it."),
            MetadataWriteStatus.NotDeleted => new Problem(ProblemCodes.ItemNotDeleted, "$", $"The {name} is not deleted; there is nothing to restore."),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a refusal."),
        };
        return new() { Status = status, Record = current, Problems = [problem] };
    }
}
