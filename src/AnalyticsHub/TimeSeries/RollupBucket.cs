using AnalyticsHub.Statistics;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// One bucket of a rollup series (spec decision 9): the mergeable statistics and quantile sketch of one field's
/// values over <c>[Start, Start + Resolution)</c> in one series. Every aggregation a query asks for — percentiles
/// included, within the sketch's error — is answered from such buckets and merged across them.
/// </summary>
public sealed record RollupBucket
{
    /// <summary>The field name of single-valued rollup series, such as the hub's metric windows.</summary>
    public const string ValueField = "value";

    /// <summary>The measurement the bucket belongs to.</summary>
    public required string Measurement { get; init; }

    /// <summary>The series tags (any keys; order does not matter).</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>The field summarised.</summary>
    public required string Field { get; init; }

    /// <summary>The bucket's first instant; a multiple of <see cref="Resolution"/> since the Unix epoch (UTC).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>The bucket width: whole minutes that divide a day, or one day.</summary>
    public required TimeSpan Resolution { get; init; }

    /// <summary>Count, sum, extremes and moments of the values.</summary>
    public required StreamingStats Stats { get; init; }

    /// <summary>The quantile sketch of the values (the store keeps its own copy).</summary>
    public required QuantileSketch Sketch { get; init; }

    /// <summary>The label of a resolution as queries report it: <c>1m</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>; <c>raw</c> for full resolution.</summary>
    /// <param name="resolution">The resolution, or <see cref="TimeSpan.Zero"/> for raw data.</param>
    /// <returns>The label.</returns>
    public static string LabelOf(TimeSpan resolution)
    {
        if (resolution <= TimeSpan.Zero)
        {
            return "raw";
        }

        var minutes = (long)resolution.TotalMinutes;
        return minutes % 1440 == 0 ? $"{minutes / 1440}d" : minutes % 60 == 0 ? $"{minutes / 60}h" : $"{minutes}m";
    }

    /// <summary>Whether a width can be a rollup resolution: whole minutes dividing a day, or exactly a day.</summary>
    /// <param name="resolution">The width.</param>
    /// <returns>Whether the store can keep buckets of that width.</returns>
    public static bool IsValidResolution(TimeSpan resolution) =>
        resolution.Ticks > 0 && resolution.Ticks % TimeSpan.TicksPerMinute == 0 && TimeSpan.TicksPerDay % resolution.Ticks == 0;
}
