namespace AnalyticsHub.Events;

/// <summary>Where the remediation of a vulnerability stands (wire form: snake_case).</summary>
public enum RemediationStatus
{
    /// <summary><c>identified</c>.</summary>
    Identified,

    /// <summary><c>patch_available</c>.</summary>
    PatchAvailable,

    /// <summary><c>patching</c>.</summary>
    Patching,

    /// <summary><c>patched</c>.</summary>
    Patched,

    /// <summary><c>accepted</c>.</summary>
    Accepted,
}
