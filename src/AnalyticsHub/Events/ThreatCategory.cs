namespace AnalyticsHub.Events;

/// <summary>The category of a <see cref="ThreatType"/>; <see cref="Other"/> carries a free-text name.</summary>
public enum ThreatCategory
{
    /// <summary><c>prompt_injection</c>.</summary>
    PromptInjection,

    /// <summary><c>data_exfiltration</c>.</summary>
    DataExfiltration,

    /// <summary><c>model_poisoning</c>.</summary>
    ModelPoisoning,

    /// <summary><c>denial_of_service</c>.</summary>
    DenialOfService,

    /// <summary><c>unauthorized_access</c>.</summary>
    UnauthorizedAccess,

    /// <summary><c>malicious_input</c>.</summary>
    MaliciousInput,

    /// <summary>Any other value, written as <c>{"other": "..."}</c>.</summary>
    Other,
}
