namespace AnalyticsHub.Events.Json;

/// <summary>
/// The value of one field: filled by the reader while an object is being read, and by a field's
/// getter (<see cref="FieldSpec.Get"/>) when a record is written, validated, redacted or measured.
/// </summary>
internal struct FieldSlot
{
    public bool Present;
    public double Double;
    public ulong Bits;
    public object? Object;
    public Guid Guid;

    public readonly string String => (string)Object!;

    public readonly string? OptionalString => (string?)Object;

    public readonly double? OptionalDouble => Present ? Double : null;

    public readonly uint UInt32 => (uint)Bits;

    public readonly uint? OptionalUInt32 => Present ? (uint)Bits : null;

    public readonly bool Boolean => Bits != 0;

    public readonly Guid? OptionalGuid => Present ? Guid : null;

    public readonly T As<T>() => (T)Object!;
}
