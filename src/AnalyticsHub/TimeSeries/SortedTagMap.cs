using System.Collections.ObjectModel;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// An immutable tag map built from a private copy whose keys were added in ordinal order (a metric series' tags, one
/// instance per series), which remembers its rollup identity text, that its tags passed the rollup store's check and the
/// rollup series it was last found in: a store writing a series' closed windows as rollups builds that text, reads the
/// tags and looks the series up once per series instead of once per bucket.
/// </summary>
/// <param name="sorted">The tags, added in ordinal key order to a dictionary nobody else holds.</param>
internal sealed class SortedTagMap(Dictionary<string, string> sorted) : ReadOnlyDictionary<string, string>(sorted)
{
    /// <summary>The rollup store's identity text of these tags, once it was built (the same text for every store).</summary>
    public string? RollupIdentity { get; set; }

    /// <summary>Whether a rollup store found every key non-empty and every value non-null (the map never changes, so once is enough).</summary>
    public bool RollupTagsValid { get; set; }

    /// <summary>
    /// What a rollup store remembers of where these tags were last found (the series, with the store and generation it
    /// is valid for). Opaque here: the store that writes it reads it back by its own type, so this folder does not
    /// depend on the storage that uses it.
    /// </summary>
    public object? RollupLookupHint { get; set; }
}
