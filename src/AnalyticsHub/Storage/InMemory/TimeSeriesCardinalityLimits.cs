using System.Collections.Frozen;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The cardinality guard of a time-series store: series per measurement and distinct values per tag key. A write
/// that would pass a limit is rejected whole, with an error naming the tag, instead of running out of memory.
/// </summary>
/// <remarks>
/// The per-tag defaults are four times the upper estimates of the seed's cardinality table (source_module ~7,
/// environment 3-5, region 10-20, event_type ~7, severity 5, model_id 20-50, service 10-30, version 5-20), so normal
/// growth fits and a tag fed with identifiers (request ids, user ids) is caught early.
/// </remarks>
public sealed record TimeSeriesCardinalityLimits
{
    /// <summary>The seed table's tags and their default limits.</summary>
    public static IReadOnlyDictionary<string, int> DefaultTagLimits { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["source_module"] = 28,
        ["environment"] = 20,
        ["region"] = 80,
        ["event_type"] = 28,
        ["severity"] = 20,
        ["model_id"] = 200,
        ["service"] = 120,
        ["version"] = 80,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The most series per measurement. Default 100,000.</summary>
    public int MaxSeriesPerMeasurement { get; init; } = 100_000;

    /// <summary>The most distinct values of a tag key not in <see cref="TagLimits"/>, per measurement. Default 1,000.</summary>
    public int DefaultMaxValuesPerTag { get; init; } = 1_000;

    /// <summary>Limits of distinct values per tag key, per measurement. Default <see cref="DefaultTagLimits"/>.</summary>
    public IReadOnlyDictionary<string, int> TagLimits { get; init; } = DefaultTagLimits;

    /// <summary>The limit of one tag key.</summary>
    /// <param name="tag">The tag key.</param>
    /// <returns>The most distinct values allowed.</returns>
    public int LimitFor(string tag) => TagLimits.TryGetValue(tag, out var limit) ? limit : DefaultMaxValuesPerTag;
}
