using System.Buffers.Binary;
using System.Buffers.Text;

namespace AnalyticsHub.Storage;

/// <summary>
/// The keyset cursor of event queries: version, the fingerprint of the query that made it, and the
/// (timestamp, sequence) key of the last event returned, as unpadded base64url.
/// </summary>
internal static class EventCursor
{
    public const byte Version = 1;
    private const int Length = 1 + 8 + 8 + 8;

    public static string Encode(ulong fingerprint, long ticks, ulong sequence)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[1..], fingerprint);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], ticks);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[17..], sequence);
        return Base64Url.EncodeToString(bytes);
    }

    public static CursorStatus TryDecode(string cursor, ulong expectedFingerprint, out long ticks, out ulong sequence)
    {
        ticks = 0;
        sequence = 0;
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (cursor.Length == 0 || cursor.Length > 64
            || !Base64Url.IsValid(cursor, out var decodedLength) || decodedLength != Length
            || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != Length)
        {
            return CursorStatus.Malformed;
        }

        if (bytes[0] != Version)
        {
            return CursorStatus.WrongVersion;
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(bytes[1..]) != expectedFingerprint)
        {
            return CursorStatus.OtherQuery;
        }

        ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[9..]);
        sequence = BinaryPrimitives.ReadUInt64BigEndian(bytes[17..]);
        return ticks is < 0 or > 3155378975999999999 || sequence == 0 ? CursorStatus.Malformed : CursorStatus.Valid;
    }
}
