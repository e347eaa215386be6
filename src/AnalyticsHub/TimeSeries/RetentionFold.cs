namespace AnalyticsHub.TimeSeries;

/// <summary>One rollup step of a <see cref="RetentionPlan"/>: buckets of finer resolutions starting before <paramref name="Before"/> fold into <paramref name="ResolutionTicks"/>.</summary>
/// <param name="ResolutionTicks">The step's resolution in ticks.</param>
/// <param name="Before">The cutoff (UTC ticks), aligned to the resolution.</param>
public readonly record struct RetentionFold(long ResolutionTicks, long Before);
