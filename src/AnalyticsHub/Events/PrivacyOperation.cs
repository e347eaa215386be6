namespace AnalyticsHub.Events;

/// <summary>What was done with personal data (wire form: snake_case).</summary>
public enum PrivacyOperation
{
    /// <summary><c>data_access</c>.</summary>
    DataAccess,

    /// <summary><c>data_collection</c>.</summary>
    DataCollection,

    /// <summary><c>data_sharing</c>.</summary>
    DataSharing,

    /// <summary><c>data_deletion</c>.</summary>
    DataDeletion,

    /// <summary><c>consent_update</c>.</summary>
    ConsentUpdate,
}
