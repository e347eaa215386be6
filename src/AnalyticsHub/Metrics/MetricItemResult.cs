using AnalyticsHub.Events;

namespace AnalyticsHub.Metrics;

/// <summary>The outcome of one ingested metric.</summary>
/// <param name="Index">The metric's position in the batch.</param>
/// <param name="Status">
/// What became of it: <see cref="EventItemStatus.Invalid"/>, <see cref="EventItemStatus.Refused"/> or
/// <see cref="EventItemStatus.Dropped"/> (backpressure), <see cref="EventItemStatus.Accepted"/> (queued), and once
/// <see cref="MetricIngestResult.Completion"/> is done <see cref="EventItemStatus.Stored"/> (its point went to the
/// stages) or <see cref="EventItemStatus.Failed"/> (a stop cut it short).
/// </param>
/// <param name="Metric">The metric as queued (with a counter's rate or a gauge's previous value filled in), or <see langword="null"/> when invalid.</param>
/// <param name="Problems">Why it was invalid (codes and JSON paths such as <c>$[2].tags.environment</c>); empty otherwise.</param>
/// <param name="Reason">For refused, dropped and failed metrics: why, in words.</param>
public sealed record MetricItemResult(int Index, EventItemStatus Status, Metric? Metric, IReadOnlyList<Problem> Problems, string? Reason = null)
{
    /// <summary>Whether the metric got past validation and backpressure (whatever became of it afterwards).</summary>
    public bool IsAccepted => Status is EventItemStatus.Accepted or EventItemStatus.Stored or EventItemStatus.Failed;
}
