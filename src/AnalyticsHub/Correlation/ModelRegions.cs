namespace AnalyticsHub.Correlation;

/// <summary>
/// A model an incident names only through region-less rises of its volume (<see cref="Evidence.IsRegionlessVolumeRise"/>):
/// the start of the first such episode and, once decided, the regions that carried the rise — the only regions whose
/// aggregates of the model the incident names (docs/correlation.md, "Grouping").
/// </summary>
/// <param name="start">The first region-less volume episode's start, in ticks.</param>
internal sealed class ModelRegions(long start)
{
    /// <summary>The first region-less volume episode's start, in ticks.</summary>
    public long Start { get; } = start;

    /// <summary>Whether <see cref="Regions"/> was decided (at the first aggregate of the model after the onset span).</summary>
    public bool Decided { get; set; }

    /// <summary>The <c>region=</c> keys that carried the rise; <see langword="null"/> when no region's requests rose (every region is named).</summary>
    public HashSet<string>? Regions { get; set; }
}
