namespace AnalyticsHub.Correlation;

/// <summary>
/// A model an incident names only through region-less volume rises or latency moves (<see cref="Evidence.IsRegionlessModelSignal"/>):
/// the start of the first such episode and the regions whose throughput aggregates of the model rose with it, the only
/// regions whose aggregates of the model the incident names (docs/correlation.md, "Grouping").
/// </summary>
/// <param name="start">The first episode's start, in ticks.</param>
internal sealed class ModelRegions(long start)
{
    /// <summary>The first region-less volume episode's start, in ticks.</summary>
    public long Start { get; } = start;

    /// <summary>The <c>region=</c> keys whose throughput aggregates of the model rose with the incident.</summary>
    public HashSet<string> Regions { get; } = new(StringComparer.Ordinal);
}
