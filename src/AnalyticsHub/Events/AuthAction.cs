namespace AnalyticsHub.Events;

/// <summary>What an authentication event records (wire form: snake_case).</summary>
public enum AuthAction
{
    /// <summary><c>login</c>.</summary>
    Login,

    /// <summary><c>logout</c>.</summary>
    Logout,

    /// <summary><c>access_attempt</c>.</summary>
    AccessAttempt,

    /// <summary><c>permission_denied</c>.</summary>
    PermissionDenied,

    /// <summary><c>token_generated</c>.</summary>
    TokenGenerated,

    /// <summary><c>token_revoked</c>.</summary>
    TokenRevoked,
}
