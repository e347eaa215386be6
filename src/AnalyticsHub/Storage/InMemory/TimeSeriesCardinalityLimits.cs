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

    /// <summary>
    /// The most distinct fields one series may hold. Default 1,024. A point that would add fields past it is refused
    /// (<c>field_limit_exceeded</c>, naming the first field over the limit); points of fields the series has still go in.
    /// </summary>
    /// <remarks>Bounds a series' field index and every open chunk's column table, whatever producers send.</remarks>
    public int MaxFieldsPerSeries { get; init; } = 1_024;

    /// <summary>The most fields one point may carry. Default 256; a point with more is refused (<c>field_limit_exceeded</c>).</summary>
    public int MaxFieldsPerPoint { get; init; } = 256;

    /// <summary>Lists what is wrong with these limits; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxSeriesPerMeasurement < 1)
        {
            problems.Add($"MaxSeriesPerMeasurement must be at least 1; it is {MaxSeriesPerMeasurement}.");
        }

        if (DefaultMaxValuesPerTag < 1)
        {
            problems.Add($"DefaultMaxValuesPerTag must be at least 1; it is {DefaultMaxValuesPerTag}.");
        }

        if (MaxFieldsPerSeries is < 1 or > 65_536)
        {
            problems.Add($"MaxFieldsPerSeries must lie in 1..65536; it is {MaxFieldsPerSeries}.");
        }

        if (MaxFieldsPerPoint < 1 || MaxFieldsPerPoint > MaxFieldsPerSeries)
        {
            problems.Add($"MaxFieldsPerPoint must lie in 1..MaxFieldsPerSeries ({MaxFieldsPerSeries}); it is {MaxFieldsPerPoint}.");
        }

        if (TagLimits is null)
        {
            problems.Add("TagLimits must not be null.");
        }

        return problems;
    }

    /// <summary>The limit of one tag key.</summary>
    /// <param name="tag">The tag key.</param>
    /// <returns>The most distinct values allowed.</returns>
    public int LimitFor(string tag) => TagLimits.TryGetValue(tag, out var limit) ? limit : DefaultMaxValuesPerTag;
}
