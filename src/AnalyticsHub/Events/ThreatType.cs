namespace AnalyticsHub.Events;

/// <summary>
/// The type of a threat: one of the known categories, or <see cref="Other(string)"/> with a free-text
/// name (written <c>{"other": "jailbreak"}</c>; a bare unknown string is read as <c>Other</c>).
/// </summary>
public readonly record struct ThreatType
{
    private ThreatType(ThreatCategory category, string? otherName)
    {
        Category = category;
        OtherName = otherName;
    }

    /// <summary>The category; <see cref="ThreatCategory.Other"/> when <see cref="OtherName"/> is set.</summary>
    public ThreatCategory Category { get; }

    /// <summary>The free-text name of an <see cref="ThreatCategory.Other"/> threat; otherwise <see langword="null"/>.</summary>
    public string? OtherName { get; }

    /// <summary><c>prompt_injection</c>.</summary>
    public static ThreatType PromptInjection => new(ThreatCategory.PromptInjection, null);

    /// <summary><c>data_exfiltration</c>.</summary>
    public static ThreatType DataExfiltration => new(ThreatCategory.DataExfiltration, null);

    /// <summary><c>model_poisoning</c>.</summary>
    public static ThreatType ModelPoisoning => new(ThreatCategory.ModelPoisoning, null);

    /// <summary><c>denial_of_service</c>.</summary>
    public static ThreatType DenialOfService => new(ThreatCategory.DenialOfService, null);

    /// <summary><c>unauthorized_access</c>.</summary>
    public static ThreatType UnauthorizedAccess => new(ThreatCategory.UnauthorizedAccess, null);

    /// <summary><c>malicious_input</c>.</summary>
    public static ThreatType MaliciousInput => new(ThreatCategory.MaliciousInput, null);

    /// <summary>A threat type outside the known categories.</summary>
    /// <param name="name">The free-text name, e.g. <c>jailbreak</c>.</param>
    public static ThreatType Other(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(ThreatCategory.Other, name);
    }

    /// <summary>A known category as a threat type.</summary>
    /// <param name="category">Any category but <see cref="ThreatCategory.Other"/>, which needs a name.</param>
    public static ThreatType FromCategory(ThreatCategory category)
    {
        if (category == ThreatCategory.Other || !Enum.IsDefined(category))
        {
            throw new ArgumentOutOfRangeException(nameof(category), category, "Use ThreatType.Other(name) for other threats.");
        }

        return new(category, null);
    }

    /// <summary>The wire name of a known category, or the free-text name of an other threat.</summary>
    public override string ToString() => OtherName ?? Json.WireEnums.ThreatCategory.GetName(Category);
}
