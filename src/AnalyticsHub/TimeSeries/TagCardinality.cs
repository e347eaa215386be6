namespace AnalyticsHub.TimeSeries;

/// <summary>The distinct values of one tag key in a measurement, against its limit.</summary>
/// <param name="Tag">The tag key.</param>
/// <param name="DistinctValues">Distinct values stored.</param>
/// <param name="Limit">The most distinct values allowed.</param>
public sealed record TagCardinality(string Tag, int DistinctValues, int Limit);
