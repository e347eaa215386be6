namespace AnalyticsHub.Metadata;

/// <summary>
/// An asset's semantic version (wire format 1.7 <c>VersionInfo</c>): what the asset says it is, not the store's
/// revision, which counts writes (see <see cref="MetadataRecord.Revision"/>).
/// </summary>
public sealed record VersionInfo
{
    /// <summary>The version, e.g. <c>2024-08-06</c> or <c>1.4.0</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The version this one replaces (written as null when absent).</summary>
    public string? PreviousVersion { get; init; }

    /// <summary>What changed (written as null when absent).</summary>
    public string? Changelog { get; init; }

    /// <summary>Release notes (written as null when absent).</summary>
    public string? ReleaseNotes { get; init; }
}
