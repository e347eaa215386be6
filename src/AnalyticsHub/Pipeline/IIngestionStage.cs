namespace AnalyticsHub.Pipeline;

/// <summary>
/// A step of the ingestion pipeline after the event store: it sees each batch of newly stored events (never a
/// duplicate or an invalid item) and may emit derived events, which re-enter the same flow. Time series, aggregation,
/// cost, budgets and anomaly detection are stages.
/// </summary>
/// <remarks>
/// <para>
/// Each stage sees one batch at a time, batches in the order they were stored, so a stage needs no locking against
/// itself. Their order comes from what they declare: a stage that consumes a hand-off runs after the stage that
/// produces it; stages unrelated by hand-offs keep their registration order. A stage whose producer is missing or
/// disabled is disabled too, with one log line saying why. A stage that declares a <see cref="ConcurrencyGroup"/> may
/// run beside the stages outside its group on the same batch (see there).
/// </para>
/// <para>
/// A stage that throws is retried with capped, jittered backoff (<see cref="IngestionOptions.MaxRetries"/>, within
/// <see cref="IngestionOptions.MaxRetryTime"/>), then reported (log, metric, statistics) and skipped for that batch;
/// the events stay stored. A stage that keeps failing opens its circuit and is skipped until a probe succeeds
/// (<see cref="StageCircuitBreakerOptions"/>). Honour the cancellation token: the time limit and a stop cancel it, and
/// a stop does not wait for a stage that ignores it. Make per-stage instruments on the hub's meter
/// (<see cref="HubMeter"/>).
/// </para>
/// </remarks>
public interface IIngestionStage
{
    /// <summary>The stage's name in logs, metrics, statistics and <c>DisabledStages</c>, e.g. <c>time_series</c>.</summary>
    string Name { get; }

    /// <summary>The hand-offs this stage puts on each batch (<see cref="IngestionBatch.Put{T}"/>); none by default.</summary>
    IReadOnlyList<HandOff> Produces => [];

    /// <summary>The hand-offs this stage reads from each batch (<see cref="IngestionBatch.Get{T}"/>); none by default.</summary>
    IReadOnlyList<HandOff> Consumes => [];

    /// <summary>
    /// The group of stages this stage shares state with (a store it writes, an engine it feeds), or null, the default,
    /// when it may share state with any stage that declares no group.
    /// </summary>
    /// <remarks>
    /// The stages without a group form the pipeline's main lane and run one after the other. Naming a group promises
    /// that the stage touches nothing that a stage outside the group touches, except through hand-offs and thread-safe
    /// stores; the pipeline then runs each group as a lane of its own (its stages in pipeline order) beside the main
    /// lane and the other groups, on the same batch (<see cref="IngestionOptions.ConcurrentStages"/>). A lane that
    /// consumes a hand-off produced in another lane joins that lane. Derived events are passed on in pipeline order,
    /// whatever lane emitted them, so the results are those of running every stage in turn.
    /// </remarks>
    string? ConcurrencyGroup => null;

    /// <summary>Processes one batch of newly stored events.</summary>
    ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when the hub stops, after the queue has drained: the stage finishes what it keeps open (the
    /// <c>metrics</c> stage closes its last windows). Stages complete in pipeline order on one shared batch without
    /// events, so a consumer sees what its producer put on it; derived events still go through.
    /// </summary>
    ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
