using System.Text;
using AnalyticsHub.Events;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// The typed columns a filter compares, encoded as stored: strings as UTF-8 <c>bytea</c> (PostgreSQL text cannot hold
/// U+0000, JSON can), a tag as <c>key 0xFF value</c> (0xFF never occurs in UTF-8, so no key or value can imitate the
/// separator).
/// </summary>
internal static class EventColumns
{
    private const byte TagSeparator = 0xFF;

    public static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);

    public static byte[] Tag(string key, string value)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        var bytes = new byte[keyLength + 1 + Encoding.UTF8.GetByteCount(value)];
        Encoding.UTF8.GetBytes(key, bytes);
        bytes[keyLength] = TagSeparator;
        Encoding.UTF8.GetBytes(value, bytes.AsSpan(keyLength + 1));
        return bytes;
    }

    public static byte[][] Tags(IReadOnlyDictionary<string, string> tags)
    {
        if (tags.Count == 0)
        {
            return [];
        }

        var encoded = new byte[tags.Count][];
        var i = 0;
        foreach (var (key, value) in tags)
        {
            encoded[i++] = Tag(key, value);
        }

        return encoded;
    }

    /// <summary>Reads a stored body back into the event; a body that does not read is a corrupt row, not bad input.</summary>
    public static AnalyticsEvent Read(byte[] body, long sequence)
    {
        var result = AnalyticsEventJson.Read(body);
        if (result.Event is null)
        {
            var problem = result.Problems.Count > 0 ? result.Problems[0].Message : "no event";
            throw new InvalidDataException($"The stored event with sequence {sequence} does not read back ({problem}); the row was changed outside AnalyticsHub.");
        }

        return result.Event;
    }
}
