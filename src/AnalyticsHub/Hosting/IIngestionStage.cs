namespace AnalyticsHub.Hosting;

/// <summary>
/// A step of the ingestion pipeline after the event store: it sees each batch of newly stored
/// events (never a duplicate or an invalid item) and may emit derived events, which re-enter the
/// same flow. Time series, aggregation, cost, budgets, anomaly detection, correlation and policies
/// are stages.
/// </summary>
/// <remarks>
/// Stages run one batch at a time on the pipeline's single reader, in registration order, so a
/// stage needs no locking of its own against itself. A stage that throws is retried with backoff
/// (<see cref="IngestionOptions.MaxRetries"/>), then reported (log, metric, statistics) and skipped
/// for that batch; the events stay stored.
/// </remarks>
public interface IIngestionStage
{
    /// <summary>The stage's name in logs, metrics and statistics, e.g. <c>time_series</c>.</summary>
    string Name { get; }

    /// <summary>Processes one batch of newly stored events.</summary>
    ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when the hub stops, after the queue has drained: the stage finishes what it keeps open (the
    /// <c>metrics</c> stage closes its last windows). Stages complete in registration order on one shared batch
    /// without events, so a later stage sees what an earlier one put on it; derived events still go through.
    /// </summary>
    ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
