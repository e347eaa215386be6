namespace AnalyticsHub.Expressions;

/// <summary>What the compiler knows about a value before evaluation: a kind, or <see cref="IsAny"/> when it can be anything.</summary>
internal readonly record struct StaticType(ValueKind Kind, EnumDomain? Domain, bool IsAny)
{
    public static StaticType Any => new(ValueKind.Null, null, true);

    public static StaticType Null => new(ValueKind.Null, null, false);

    public static StaticType Number => new(ValueKind.Number, null, false);

    public static StaticType String => new(ValueKind.String, null, false);

    public static StaticType Boolean => new(ValueKind.Boolean, null, false);

    public static StaticType Enum(EnumDomain domain) => new(ValueKind.Enum, domain, false);

    /// <summary>Whether the value may be of kind <paramref name="kind"/> at run time (null is always possible).</summary>
    public bool Admits(ValueKind kind) => IsAny || Kind == ValueKind.Null || Kind == kind;

    public string Describe() => IsAny ? "any value" : Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Number => "a number",
        ValueKind.String => "a string",
        ValueKind.Boolean => "a boolean",
        _ => "a " + Domain!.Name,
    };
}
