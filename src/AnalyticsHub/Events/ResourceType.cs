namespace AnalyticsHub.Events;

/// <summary>
/// The type of a consumed resource: one of the known categories, or <see cref="Other(string)"/> with a
/// free-text name (written <c>{"other": "tpu"}</c>; a bare unknown string is read as <c>Other</c>).
/// </summary>
public readonly record struct ResourceType
{
    private ResourceType(ResourceCategory category, string? otherName)
    {
        Category = category;
        OtherName = otherName;
    }

    /// <summary>The category; <see cref="ResourceCategory.Other"/> when <see cref="OtherName"/> is set.</summary>
    public ResourceCategory Category { get; }

    /// <summary>The free-text name of an <see cref="ResourceCategory.Other"/> resource; otherwise <see langword="null"/>.</summary>
    public string? OtherName { get; }

    /// <summary><c>compute</c>.</summary>
    public static ResourceType Compute => new(ResourceCategory.Compute, null);

    /// <summary><c>storage</c>.</summary>
    public static ResourceType Storage => new(ResourceCategory.Storage, null);

    /// <summary><c>network</c>.</summary>
    public static ResourceType Network => new(ResourceCategory.Network, null);

    /// <summary><c>memory</c>.</summary>
    public static ResourceType Memory => new(ResourceCategory.Memory, null);

    /// <summary><c>gpu</c>.</summary>
    public static ResourceType Gpu => new(ResourceCategory.Gpu, null);

    /// <summary>A resource type outside the known categories.</summary>
    /// <param name="name">The free-text name, e.g. <c>tpu</c>.</param>
    public static ResourceType Other(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(ResourceCategory.Other, name);
    }

    /// <summary>A known category as a resource type.</summary>
    /// <param name="category">Any category but <see cref="ResourceCategory.Other"/>, which needs a name.</param>
    public static ResourceType FromCategory(ResourceCategory category)
    {
        if (category == ResourceCategory.Other || !Enum.IsDefined(category))
        {
            throw new ArgumentOutOfRangeException(nameof(category), category, "Use ResourceType.Other(name) for other resources.");
        }

        return new(category, null);
    }

    /// <summary>The wire name of a known category, or the free-text name of an other resource.</summary>
    public override string ToString() => OtherName ?? Json.WireEnums.ResourceCategory.GetName(Category);
}
