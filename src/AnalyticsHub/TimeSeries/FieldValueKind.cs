namespace AnalyticsHub.TimeSeries;

/// <summary>What a <see cref="FieldValue"/> holds (decision 11).</summary>
public enum FieldValueKind : byte
{
    /// <summary>A finite 64-bit floating-point number (a JSON number with a fraction or an exponent).</summary>
    Float,

    /// <summary>A signed 64-bit integer (a JSON number without fraction or exponent that fits in <see cref="long"/>).</summary>
    Integer,

    /// <summary>An unsigned 64-bit integer above <see cref="long.MaxValue"/>.</summary>
    UnsignedInteger,

    /// <summary>A string.</summary>
    String,

    /// <summary>A boolean.</summary>
    Boolean,
}
