using System.Globalization;

namespace AnalyticsHub.Expressions;

/// <summary>
/// A value of the expression language: null, a number, a string, a boolean or an enum value. A small
/// readonly struct, so evaluating expressions does not box or allocate.
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private readonly double _number;
    private readonly object? _ref;

    private Value(ValueKind kind, double number, object? reference)
    {
        Kind = kind;
        _number = number;
        _ref = reference;
    }

    /// <summary>The kind of this value.</summary>
    public ValueKind Kind { get; }

    /// <summary>The null value (also the <see langword="default"/> of this struct).</summary>
    public static Value Null => default;

    /// <summary>The boolean <c>true</c>.</summary>
    public static Value True => new(ValueKind.Boolean, 1, null);

    /// <summary>The boolean <c>false</c>.</summary>
    public static Value False => new(ValueKind.Boolean, 0, null);

    /// <summary>Whether this is the null value.</summary>
    public bool IsNull => Kind == ValueKind.Null;

    /// <summary>Whether this is the boolean <c>true</c> (the only value a condition accepts).</summary>
    public bool IsTrue => Kind == ValueKind.Boolean && _number != 0;

    /// <summary>The number; <c>0</c> unless <see cref="Kind"/> is <see cref="ValueKind.Number"/>.</summary>
    public double Number => Kind == ValueKind.Number ? _number : 0;

    /// <summary>The boolean; <see langword="false"/> unless <see cref="Kind"/> is <see cref="ValueKind.Boolean"/>.</summary>
    public bool Boolean => Kind == ValueKind.Boolean && _number != 0;

    /// <summary>The string, or the wire name of an enum value; otherwise <see langword="null"/>.</summary>
    public string? String => Kind switch
    {
        ValueKind.String => (string)_ref!,
        ValueKind.Enum => ((EnumDomain)_ref!).Names[(int)_number],
        _ => null,
    };

    /// <summary>The position of an enum value in its enum's declaration order; <c>-1</c> for other kinds.</summary>
    public int EnumOrdinal => Kind == ValueKind.Enum ? (int)_number : -1;

    /// <summary>The name of the enum an enum value belongs to (e.g. <c>severity</c>); otherwise <see langword="null"/>.</summary>
    public string? EnumName => Kind == ValueKind.Enum ? ((EnumDomain)_ref!).Name : null;

    internal EnumDomain? Domain => _ref as EnumDomain;

    internal double RawNumber => _number;

    internal object? RawRef => _ref;

    /// <summary>A number value; NaN and infinities become <see cref="Null"/>.</summary>
    /// <param name="number">The number.</param>
    public static Value FromNumber(double number) => double.IsFinite(number) ? new(ValueKind.Number, number, null) : default;

    /// <summary>A number value, or <see cref="Null"/> for <see langword="null"/>.</summary>
    /// <param name="number">The number, if any.</param>
    public static Value FromNumber(double? number) => number is { } n ? FromNumber(n) : default;

    /// <summary>A string value, or <see cref="Null"/> for <see langword="null"/>.</summary>
    /// <param name="text">The string.</param>
    public static Value FromString(string? text) => text is null ? default : new(ValueKind.String, 0, text);

    /// <summary>A boolean value.</summary>
    /// <param name="value">The boolean.</param>
    public static Value FromBoolean(bool value) => new(ValueKind.Boolean, value ? 1 : 0, null);

    internal static Value FromEnum(EnumDomain domain, int ordinal) => new(ValueKind.Enum, ordinal, domain);

    /// <summary>Whether two values are the same kind and content (strings ordinally; not the language's <c>==</c>).</summary>
    /// <param name="other">The other value.</param>
    public bool Equals(Value other) =>
        Kind == other.Kind
        && _number.Equals(other._number)
        && (Kind == ValueKind.String ? string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal) : ReferenceEquals(_ref, other._ref));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, _number, Kind == ValueKind.String ? StringComparer.Ordinal.GetHashCode((string)_ref!) : _ref?.GetHashCode() ?? 0);

    /// <summary>Whether two values are the same kind and content.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(Value left, Value right) => left.Equals(right);

    /// <summary>Whether two values differ in kind or content.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <summary>A readable form: <c>null</c>, the number (invariant culture), the quoted string, <c>true</c>/<c>false</c> or the enum's wire name.</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.String => "\"" + (string)_ref! + "\"",
        ValueKind.Boolean => _number != 0 ? "true" : "false",
        _ => String!,
    };
}
