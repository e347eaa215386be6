namespace AnalyticsHub.Metrics;

/// <summary>The outcome of ingesting a batch of metrics: per metric whether it was stored, and why not.</summary>
public sealed record MetricIngestResult
{
    /// <summary>Gets one result per metric, in input order.</summary>
    public required IReadOnlyList<MetricItemResult> Items { get; init; }

    /// <summary>Gets how many metrics were stored.</summary>
    public int Accepted => Items.Count(i => i.Accepted);

    /// <summary>Gets how many metrics were refused (invalid, or refused by the time-series store).</summary>
    public int Refused => Items.Count - Accepted;
}
