namespace AnalyticsHub.Expressions;

/// <summary>The kind of an expression <see cref="Value"/>.</summary>
public enum ValueKind : byte
{
    /// <summary>No value: a <c>null</c> literal, a missing field or tag, or an undefined result such as division by zero.</summary>
    Null,

    /// <summary>A finite 64-bit floating-point number (integers of the event model are widened to it).</summary>
    Number,

    /// <summary>A string, compared ordinally.</summary>
    String,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A value of one of the event model's closed enums (e.g. a severity), known by its wire name and ordinal.</summary>
    Enum,
}
