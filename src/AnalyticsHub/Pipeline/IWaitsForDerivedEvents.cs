namespace AnalyticsHub.Pipeline;

/// <summary>
/// A stage that takes part of a batch only once everything the batch derived has gone through the pipeline: the
/// <c>correlation</c> stage, whose time bound must not pass evidence the other stages derive from the same batch.
/// </summary>
/// <remarks>
/// The pipeline calls <see cref="ProcessAfterDerivedAsync"/> on the reader after a batch and every round of the events
/// it derived have gone through all stages, before a flush that waits for the batch returns; the call's own derived
/// events go through the same way. It runs through the stage's resilience like <see cref="IIngestionStage.ProcessAsync"/>
/// and counts in the stage's timing.
/// </remarks>
internal interface IWaitsForDerivedEvents
{
    /// <summary>Takes what the stage held back of the last batch; <paramref name="batch"/> has no events and takes what it emits.</summary>
    ValueTask ProcessAfterDerivedAsync(IngestionBatch batch, CancellationToken cancellationToken);
}
