using AnalyticsHub.Events;

namespace AnalyticsHub.Metrics;

/// <summary>The outcome of one ingested metric.</summary>
/// <param name="Index">The metric's position in the batch.</param>
/// <param name="Accepted">Whether its point was stored.</param>
/// <param name="Metric">The metric as stored (with a counter's rate or a gauge's previous value filled in), or <see langword="null"/> when refused.</param>
/// <param name="Problems">Why it was refused (codes and JSON paths such as <c>$[2].tags.environment</c>); empty when accepted.</param>
public sealed record MetricItemResult(int Index, bool Accepted, Metric? Metric, IReadOnlyList<Problem> Problems);
