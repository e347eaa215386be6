using System.Runtime.CompilerServices;

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
/// equal one is merely a different instance.
/// </remarks>
internal sealed class TagSetInterner
{
    /// <summary>The most tag combinations remembered before the table is cleared.</summary>
    internal const int MaxSets = 131_072;

    private readonly Dictionary<Key, TagSet> _sets = new();

    // One instance per distinct tag key and value (a few hundred on the hub's mix): the strings of a combination are
    // replaced by these before it is looked up, so combinations hash and compare by reference and a lookup never reads
    // the strings of the combination it finds (cold, a cache miss each, when there are tens of thousands). The strings
    // kept are those the kept tag sets hold; both tables are cleared together.
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
    /// <remarks>The tag set holds this interner's instances of the strings (equal to the ones given); <paramref name="custom"/>'s are replaced by them.</remarks>
    public TagSet Get(string sourceModule, string environment, string? modelId, string? region, string? service, string? version, PointTagMap custom)
    {
        var probe = Canonical(sourceModule, environment, modelId, region, service, version, custom);
        if (_sets.TryGetValue(probe, out var set))
        {
            return set;
        }

        if (_sets.Count >= MaxSets)
        {
            _sets.Clear();
            _strings.Clear();
            probe = Canonical(sourceModule, environment, modelId, region, service, version, custom);
        }

        var kept = custom.Count == 0 ? null : custom.Copy();
        set = new TagSet
        {
            SourceModule = probe.SourceModule,
            Environment = probe.Environment,
            ModelId = probe.ModelId,
            Region = probe.Region,
            Service = probe.Service,
            Version = probe.Version,
            Custom = kept is null ? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty : kept,
        };
        _sets.Add(probe with { Custom = kept ?? EmptyMap }, set);
        return set;
    }

    /// <summary>The key of these tags, every string replaced by this interner's instance of it (the custom map's in place).</summary>
    private Key Canonical(string sourceModule, string environment, string? modelId, string? region, string? service, string? version, PointTagMap custom)
    {
        for (var i = 0; i < custom.Count; i++)
        {
            var (key, value) = custom.At(i);
            custom.SetAt(i, Canonical(key)!, Canonical(value)!);
        }

        return new Key(Canonical(sourceModule)!, Canonical(environment)!, Canonical(modelId), Canonical(region), Canonical(service), Canonical(version), custom);
    }

    /// <summary>This interner's instance of <paramref name="text"/> (the first one it was given).</summary>
    private string? Canonical(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!_strings.TryGetValue(text, out var canonical))
        {
            _strings.Add(text, text);
            canonical = text;
        }

        return canonical;
    }

    private static readonly PointTagMap EmptyMap = new();

    /// <summary>
    /// A combination of tags, its strings the interner's instances: compared and hashed by reference (the custom tags in
    /// order, as the extractor adds them in a fixed order). Equal tags give equal keys because each distinct string has
    /// one instance, and the tables are cleared together.
    /// </summary>
    private readonly record struct Key(string SourceModule, string Environment, string? ModelId, string? Region, string? Service, string? Version, PointTagMap Custom)
    {
        public bool Equals(Key other) =>
            ReferenceEquals(SourceModule, other.SourceModule)
            && ReferenceEquals(Environment, other.Environment)
            && ReferenceEquals(ModelId, other.ModelId)
            && ReferenceEquals(Region, other.Region)
            && ReferenceEquals(Service, other.Service)
            && ReferenceEquals(Version, other.Version)
            && Custom.SameSequence(other.Custom);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            hash.Add(RuntimeHelpers.GetHashCode(SourceModule));
            hash.Add(RuntimeHelpers.GetHashCode(Environment));
            hash.Add(ModelId is null ? 0 : RuntimeHelpers.GetHashCode(ModelId));
            hash.Add(Region is null ? 0 : RuntimeHelpers.GetHashCode(Region));
            hash.Add(Service is null ? 0 : RuntimeHelpers.GetHashCode(Service));
            hash.Add(Version is null ? 0 : RuntimeHelpers.GetHashCode(Version));
            hash.Add(Custom.ReferenceHash());
            return hash.ToHashCode();
        }
    }
}
