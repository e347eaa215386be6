namespace AnalyticsHub.Metadata;

/// <summary>How a write to the metadata store ended.</summary>
public enum MetadataWriteStatus
{
    /// <summary>Written: the result holds the new revision.</summary>
    Succeeded,

    /// <summary>The document is invalid (code <c>validation_error</c> and the problems); nothing was written.</summary>
    Invalid,

    /// <summary>No document has this id (code <c>not_found</c>); nothing was written.</summary>
    NotFound,

    /// <summary>A document (live or soft-deleted) already has this id (code <c>already_exists</c>); nothing was written.</summary>
    AlreadyExists,

    /// <summary>The write named an older revision than the stored one (code <c>revision_conflict</c>); nothing was overwritten.</summary>
    RevisionConflict,

    /// <summary>The document is soft-deleted: restore it before updating or deleting it (code <c>item_deleted</c>).</summary>
    Deleted,

    /// <summary>A restore of a document that is not deleted (code <c>item_not_deleted</c>).</summary>
    NotDeleted,
}
