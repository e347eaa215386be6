using System.Collections.ObjectModel;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// An immutable tag map built from a private copy whose keys were added in ordinal order (a metric series' tags, one
/// instance per series), which remembers its rollup identity text: a store writing a series' closed windows as rollups
/// builds that text once per series instead of once per bucket.
/// </summary>
/// <param name="sorted">The tags, added in ordinal key order to a dictionary nobody else holds.</param>
internal sealed class SortedTagMap(Dictionary<string, string> sorted) : ReadOnlyDictionary<string, string>(sorted)
{
    /// <summary>The rollup store's identity text of these tags, once it was built (the same text for every store).</summary>
    public string? RollupIdentity { get; set; }
}
