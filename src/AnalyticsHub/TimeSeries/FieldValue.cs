using System.Globalization;
using System.Text.Json.Serialization;
using AnalyticsHub.TimeSeries.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// One field value of a time-series point, kept losslessly (decision 11): integers stay integers
/// (signed or unsigned 64-bit), other numbers are finite doubles; strings and booleans as such.
/// </summary>
/// <remarks>
/// Aggregations read numeric values as doubles (booleans as 0 and 1); integers beyond 2^53 lose
/// precision there, never in storage or on the wire.
/// </remarks>
[JsonConverter(typeof(FieldValueJsonConverter))]
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private FieldValue(FieldValueKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    /// <summary>What this value holds.</summary>
    public FieldValueKind Kind { get; }

    /// <summary>Whether aggregations can read the value as a number (every kind but <see cref="FieldValueKind.String"/>).</summary>
    public bool IsNumeric => Kind != FieldValueKind.String;

    /// <summary>The raw 64 bits (double bits, integer, or 0/1), as the columnar store keeps them.</summary>
    internal long RawBits => _bits;

    /// <summary>A floating-point value.</summary>
    /// <param name="value">A finite double.</param>
    /// <returns>The field value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite (never representable on the wire).</exception>
    public static FieldValue FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Field values must be finite.");
        }

        return new(FieldValueKind.Float, BitConverter.DoubleToInt64Bits(value), null);
    }

    /// <summary>A signed integer value.</summary>
    /// <param name="value">The integer.</param>
    /// <returns>The field value.</returns>
    public static FieldValue FromInt64(long value) => new(FieldValueKind.Integer, value, null);

    /// <summary>An unsigned integer value; values up to <see cref="long.MaxValue"/> are stored as <see cref="FieldValueKind.Integer"/>.</summary>
    /// <param name="value">The integer.</param>
    /// <returns>The field value.</returns>
    public static FieldValue FromUInt64(ulong value) =>
        value <= long.MaxValue ? new(FieldValueKind.Integer, (long)value, null) : new(FieldValueKind.UnsignedInteger, unchecked((long)value), null);

    /// <summary>A string value.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The field value.</returns>
    public static FieldValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(FieldValueKind.String, 0, value);
    }

    /// <summary>A boolean value.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The field value.</returns>
    public static FieldValue FromBoolean(bool value) => new(FieldValueKind.Boolean, value ? 1 : 0, null);

    /// <summary>Rebuilds a value from the store's raw bits.</summary>
    internal static FieldValue FromRaw(FieldValueKind kind, long bits, string? text) => new(kind, bits, text);

    /// <summary>Reads the value as a double, as aggregations do.</summary>
    /// <param name="value">The number; booleans are 0 or 1.</param>
    /// <returns><see langword="false"/> for strings.</returns>
    public bool TryGetDouble(out double value)
    {
        value = ToDouble(Kind, _bits);
        return Kind != FieldValueKind.String;
    }

    /// <summary>Reads a signed integer.</summary>
    /// <param name="value">The integer.</param>
    /// <returns><see langword="true"/> only for <see cref="FieldValueKind.Integer"/>.</returns>
    public bool TryGetInt64(out long value)
    {
        value = Kind == FieldValueKind.Integer ? _bits : 0;
        return Kind == FieldValueKind.Integer;
    }

    /// <summary>Reads a non-negative integer.</summary>
    /// <param name="value">The integer.</param>
    /// <returns><see langword="true"/> for <see cref="FieldValueKind.UnsignedInteger"/> and non-negative <see cref="FieldValueKind.Integer"/> values.</returns>
    public bool TryGetUInt64(out ulong value)
    {
        var ok = Kind == FieldValueKind.UnsignedInteger || (Kind == FieldValueKind.Integer && _bits >= 0);
        value = ok ? unchecked((ulong)_bits) : 0;
        return ok;
    }

    /// <summary>Reads a string.</summary>
    /// <param name="value">The string, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> only for <see cref="FieldValueKind.String"/>.</returns>
    public bool TryGetString([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = _text;
        return Kind == FieldValueKind.String;
    }

    /// <summary>Reads a boolean.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns><see langword="true"/> only for <see cref="FieldValueKind.Boolean"/>.</returns>
    public bool TryGetBoolean(out bool value)
    {
        value = _bits != 0;
        return Kind == FieldValueKind.Boolean;
    }

    /// <summary>The numeric reading of raw column bits.</summary>
    internal static double ToDouble(FieldValueKind kind, long bits) => kind switch
    {
        FieldValueKind.Float => BitConverter.Int64BitsToDouble(bits),
        FieldValueKind.Integer => bits,
        FieldValueKind.UnsignedInteger => unchecked((ulong)bits),
        FieldValueKind.Boolean => bits,
        _ => double.NaN,
    };

    /// <inheritdoc/>
    public bool Equals(FieldValue other) =>
        Kind == other.Kind && _bits == other._bits && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _text);

    /// <summary>The value in invariant culture (doubles round-trip).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        FieldValueKind.Float => BitConverter.Int64BitsToDouble(_bits).ToString("R", CultureInfo.InvariantCulture),
        FieldValueKind.Integer => _bits.ToString(CultureInfo.InvariantCulture),
        FieldValueKind.UnsignedInteger => unchecked((ulong)_bits).ToString(CultureInfo.InvariantCulture),
        FieldValueKind.Boolean => _bits != 0 ? "true" : "false",
        _ => _text ?? string.Empty,
    };

    /// <summary>Compares two values for equality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    /// <summary>Compares two values for inequality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);
}
