using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Evaluation.Hosting;

/// <summary>
/// A stage that throws on every batch, for <c>hub-ingest ... failing</c>: what a stage that keeps failing costs the
/// hub once its circuit breaker has opened.
/// </summary>
internal sealed class AlwaysFailingStage : IIngestionStage
{
    public const string StageName = "always_failing";

    public string Name => StageName;

    public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("This stage always fails.");
}
