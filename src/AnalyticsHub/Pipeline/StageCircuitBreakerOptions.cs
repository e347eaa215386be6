namespace AnalyticsHub.Pipeline;

/// <summary>
/// The circuit breaker in front of each stage: when a stage keeps failing it is skipped (its batches' events stay
/// stored) until, after <see cref="BreakDuration"/>, one batch probes it; a probe that succeeds closes the circuit.
/// </summary>
/// <remarks>
/// Every attempt counts, retries included. The circuit opens when, within <see cref="SamplingDuration"/>, at least
/// <see cref="MinimumThroughput"/> attempts were made and at least <see cref="FailureRatio"/> of them failed. Open
/// circuits show in <see cref="IngestionStatistics.OpenCircuits"/>, in the <c>analyticshub.stage.circuit.*</c>
/// instruments and in the hub's health check. The event store has no breaker: a batch it cannot store fails.
/// </remarks>
public sealed class StageCircuitBreakerOptions
{
    /// <summary>Whether stages have a circuit breaker; true by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of failed attempts that opens the circuit, above 0 and at most 1; 0.5 by default.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>
    /// The fewest attempts within <see cref="SamplingDuration"/> before the circuit may open, at least 2; 5 by default,
    /// so one batch that fails through its retries (4 attempts with the default 3 retries) does not open it alone.
    /// </summary>
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The window over which failures are counted, at least 500 ms; 30 seconds by default.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit skips the stage before a probe, at least 500 ms; 15 seconds by default.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    internal void Validate(List<string> problems)
    {
        var halfSecond = TimeSpan.FromMilliseconds(500);
        var oneDay = TimeSpan.FromDays(1);
        if (!(FailureRatio > 0 && FailureRatio <= 1))
        {
            problems.Add($"Ingestion.CircuitBreaker.FailureRatio must be above 0 and at most 1; it is {FailureRatio}.");
        }

        if (MinimumThroughput < 2)
        {
            problems.Add($"Ingestion.CircuitBreaker.MinimumThroughput must be at least 2; it is {MinimumThroughput}.");
        }

        if (SamplingDuration < halfSecond || SamplingDuration > oneDay)
        {
            problems.Add($"Ingestion.CircuitBreaker.SamplingDuration must be between 500 ms and one day; it is {SamplingDuration}.");
        }

        if (BreakDuration < halfSecond || BreakDuration > oneDay)
        {
            problems.Add($"Ingestion.CircuitBreaker.BreakDuration must be between 500 ms and one day; it is {BreakDuration}.");
        }
    }
}
