namespace AnalyticsHub.TimeSeries;

/// <summary>
/// Hands out one shared <see cref="TagSet"/> per distinct combination of tags extracted on the calling thread, so the
/// points of one series share one tag set (its hash and sorted pairs computed once) and extracting a point allocates
/// no tag set, no custom-tag map and no key for an existing combination.
/// </summary>
/// <remarks>
/// One instance for the process (<see cref="Shared"/>), used under its <see cref="Gate"/> (the extractor takes it once
/// per batch); one table for every thread, so the points of a series share their tag set whichever thread extracts
/// them. The table forgets everything when it reaches <see cref="MaxSets"/> combinations, so an unbounded tag value
/// costs memory only up to that bound; a tag set handed out before stays valid (tag sets are immutable), and a later
/// equal one is merely a different instance. The tag strings of the combinations it holds are kept one instance per value
/// (the first seen), so a lookup compares an event's new strings with a few strings every entry shares.
/// </remarks>
internal sealed class TagSetInterner
{
    /// <summary>The most tag combinations remembered before the table is cleared.</summary>
    internal const int MaxSets = 131_072;

    private readonly Dictionary<Key, TagSet> _sets = new();

    // The tag strings of the combinations in the table, one instance per value (emptied with the table).
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>The process's interner; use it under <see cref="Gate"/>.</summary>
    public static TagSetInterner Shared { get; } = new();

    /// <summary>Held while the interner is used (its table and <see cref="Scratch"/> map are not thread-safe).</summary>
    public Lock Gate { get; } = new();

    /// <summary>A scratch map for the payload-specific tags of the point being extracted (emptied by the extractor per point).</summary>
    public PointTagMap Scratch { get; } = new();

    /// <summary>How many combinations the table holds now.</summary>
    public int Count => _sets.Count;


    /// <summary>The shared tag set of these tags (<paramref name="custom"/> in extraction order); created on first use.</summary>
    public TagSet Get(string sourceModule, string environment, string? modelId, string? region, string? service, string? version, PointTagMap custom)
    {
        var probe = new Key(sourceModule, environment, modelId, region, service, version, custom);
        if (_sets.TryGetValue(probe, out var set))
        {
            return set;
        }

        if (_sets.Count >= MaxSets)
        {
            _sets.Clear();
            _strings.Clear();
        }

        PointTagMap? kept = null;
        if (custom.Count > 0)
        {
            kept = custom.Copy();
            for (var i = 0; i < kept.Count; i++)
            {
                var (key, value) = kept.At(i);
                kept[key] = Kept(value);
            }
        }

        var stored = new Key(Kept(sourceModule), Kept(environment), Kept(modelId), Kept(region), Kept(service), Kept(version), kept ?? EmptyMap);
        set = new TagSet
        {
            SourceModule = stored.SourceModule,
            Environment = stored.Environment,
            ModelId = stored.ModelId,
            Region = stored.Region,
            Service = stored.Service,
            Version = stored.Version,
            Custom = kept is null ? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty : kept,
        };
        _sets.Add(stored, set);
        return set;
    }

    /// <summary>
    /// The one instance of <paramref name="value"/> the table keeps: the tag sets it creates share each tag string, so a
    /// lookup compares the event's fresh strings with a few strings every combination shares (read often, so cached),
    /// not with the strings of the event that first brought the combination (one cold read each).
    /// </summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    private string? Kept(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!_strings.TryGetValue(value, out var kept))
        {
            _strings.Add(value, value);
            kept = value;
        }

        return kept;
    }

    private static readonly PointTagMap EmptyMap = new();

    /// <summary>A combination of tags; the custom tags compare in order (the extractor adds them in a fixed order).</summary>
    private readonly record struct Key(string SourceModule, string Environment, string? ModelId, string? Region, string? Service, string? Version, PointTagMap Custom)
    {
        public bool Equals(Key other) =>
            string.Equals(SourceModule, other.SourceModule, StringComparison.Ordinal)
            && string.Equals(Environment, other.Environment, StringComparison.Ordinal)
            && string.Equals(ModelId, other.ModelId, StringComparison.Ordinal)
            && string.Equals(Region, other.Region, StringComparison.Ordinal)
            && string.Equals(Service, other.Service, StringComparison.Ordinal)
            && string.Equals(Version, other.Version, StringComparison.Ordinal)
            && Custom.SequenceEqual(other.Custom);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            hash.Add(SourceModule, StringComparer.Ordinal);
            hash.Add(Environment, StringComparer.Ordinal);
            hash.Add(ModelId, StringComparer.Ordinal);
            hash.Add(Region, StringComparer.Ordinal);
            hash.Add(Service, StringComparer.Ordinal);
            hash.Add(Version, StringComparer.Ordinal);
            hash.Add(Custom.SequenceHash());
            return hash.ToHashCode();
        }
    }
}
