using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Samples.Quickstart;

/// <summary>One anomaly episode as the report lists it, read back from the hub's open and close events.</summary>
/// <param name="Metric">The detection series' metric, e.g. <c>mean(llm_latency.latency_ms)</c>.</param>
/// <param name="Tags">The series' tags.</param>
/// <param name="Type">The kind of anomaly at the peak.</param>
/// <param name="PeakScore">The highest score of the episode.</param>
/// <param name="Start">When the episode opened.</param>
/// <param name="End">When it closed, or <see langword="null"/> while still open.</param>
public sealed record AnomalyEpisodeRow(string Metric, IReadOnlyDictionary<string, string> Tags, AnomalyType Type, double PeakScore, DateTimeOffset Start, DateTimeOffset? End);
