namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A failed request waiting for its retry.</summary>
internal sealed class RetryState
{
    public required int Feature { get; init; }
    public required int RequestedModel { get; init; }
    public required int User { get; init; }
    public required int Attempt { get; init; }
    public required Guid CorrelationId { get; init; }
    public required string RequestId { get; init; }
    public required Guid ParentEventId { get; init; }
    public required int RetryCause { get; init; }
    public required double ZPrompt { get; init; }
    public required double ZCompletion { get; init; }
    public required double UCache { get; init; }
    public required double UCacheWrite { get; init; }
    public required double UReasoning { get; init; }
}
