using System.Text;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// Tag sets as stored by the time-series tables: one <c>bytea</c> element per tag (UTF-8 key, 0xFF, UTF-8 value, as the
/// event table's tags), sorted by key, so equal sets are equal arrays (the unique key of <c>ts_series</c> and
/// <c>ts_rollups</c>) and SQL can test a tag with <c>tags @&gt; ARRAY[...]</c>.
/// </summary>
internal static class SeriesTags
{
    private const byte Separator = 0xFF;

    public static byte[][] Encode(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var pairs = tags.ToList();
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var encoded = new byte[pairs.Count][];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = EventColumns.Tag(pairs[i].Key, pairs[i].Value);
        }

        return encoded;
    }

    public static SortedDictionary<string, string> Decode(byte[][] tags)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var split = Array.IndexOf(tag, Separator);
            if (split < 0)
            {
                throw new InvalidDataException("A stored tag has no separator.");
            }

            result[Encoding.UTF8.GetString(tag, 0, split)] = Encoding.UTF8.GetString(tag, split + 1, tag.Length - split - 1);
        }

        return result;
    }

    /// <summary>The tag set of decoded pairs: known keys become its properties, the rest its custom tags.</summary>
    public static TagSet ToTagSet(IReadOnlyDictionary<string, string> tags)
    {
        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            if (!TagSet.IsKnownKey(key))
            {
                custom.Add(key, value);
            }
        }

        return new TagSet
        {
            SourceModule = tags.TryGetValue("source_module", out var module) ? module : throw new InvalidDataException("A stored series has no source_module tag."),
            Environment = tags.TryGetValue("environment", out var environment) ? environment : throw new InvalidDataException("A stored series has no environment tag."),
            Region = tags.GetValueOrDefault("region"),
            ModelId = tags.GetValueOrDefault("model_id"),
            Service = tags.GetValueOrDefault("service"),
            Version = tags.GetValueOrDefault("version"),
            Custom = custom,
        };
    }
}
