namespace AnalyticsHub.Metrics;

/// <summary>
/// The outcome of ingesting a batch of metrics: each metric's status when it was offered, and an awaitable final outcome
/// once every accepted metric's point has passed the stages.
/// </summary>
public sealed class MetricIngestResult
{
    internal MetricIngestResult(IReadOnlyList<MetricItemResult> items, Task<IReadOnlyList<MetricItemResult>> completion)
    {
        Items = items;
        Completion = completion;
    }

    /// <summary>Per metric, in input order: invalid, refused, dropped or accepted.</summary>
    public IReadOnlyList<MetricItemResult> Items { get; }

    /// <summary>Per metric, in input order, the final outcome: accepted metrics become stored or failed; the others keep their status.</summary>
    public Task<IReadOnlyList<MetricItemResult>> Completion { get; }

    /// <summary>How many metrics were accepted into the queue.</summary>
    public int AcceptedCount
    {
        get
        {
            var count = 0;
            foreach (var item in Items)
            {
                count += item.IsAccepted ? 1 : 0;
            }

            return count;
        }
    }
}
