using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.TimeSeries.Json;

/// <summary>
/// <see cref="FieldValue"/> on the wire (decision 11): a number without fraction or exponent reads as an
/// integer (i64, else u64), any other number as a finite double; doubles are written with a fraction or an
/// exponent so they read back as doubles.
/// </summary>
internal sealed class FieldValueJsonConverter : JsonConverter<FieldValue>
{
    public override FieldValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, FieldValue value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static FieldValue ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
                {
                    if (reader.TryGetInt64(out var signed))
                    {
                        return FieldValue.FromInt64(signed);
                    }

                    if (reader.TryGetUInt64(out var unsigned))
                    {
                        return FieldValue.FromUInt64(unsigned);
                    }
                }

                if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw new JsonException("Number out of range: field values must be finite.");
                }

                return FieldValue.FromDouble(number);
            case JsonTokenType.String:
                return FieldValue.FromString(reader.GetString()!);
            case JsonTokenType.True:
                return FieldValue.FromBoolean(true);
            case JsonTokenType.False:
                return FieldValue.FromBoolean(false);
            default:
                throw new JsonException("A field value must be a number, a string or a boolean.");
        }
    }

    internal static void WriteValue(Utf8JsonWriter writer, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldValueKind.Float:
                Span<byte> buffer = stackalloc byte[40];
                var number = BitConverter.Int64BitsToDouble(value.RawBits);
                number.TryFormat(buffer, out var length, "R", CultureInfo.InvariantCulture);
                if (buffer[..length].IndexOfAny((byte)'.', (byte)'E', (byte)'e') < 0)
                {
                    buffer[length++] = (byte)'.';
                    buffer[length++] = (byte)'0';
                }

                writer.WriteRawValue(buffer[..length], skipInputValidation: true);
                break;
            case FieldValueKind.Integer:
                writer.WriteNumberValue(value.RawBits);
                break;
            case FieldValueKind.UnsignedInteger:
                writer.WriteNumberValue(unchecked((ulong)value.RawBits));
                break;
            case FieldValueKind.Boolean:
                writer.WriteBooleanValue(value.RawBits != 0);
                break;
            default:
                value.TryGetString(out var text);
                writer.WriteStringValue(text);
                break;
        }
    }
}
