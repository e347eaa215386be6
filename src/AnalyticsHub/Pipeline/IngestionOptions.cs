namespace AnalyticsHub.Pipeline;

/// <summary>The ingestion pipeline's queue, batching, backpressure, retries and shutdown.</summary>
public sealed class IngestionOptions
{
    /// <summary>How many accepted events may wait in the queue; 65,536 by default.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>The most events processed as one batch; 1,024 by default.</summary>
    public int MaxBatchSize { get; set; } = 1_024;

    /// <summary>How long a partial batch waits for more events (clock time); zero processes what is there at once.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>What happens when the queue is full; <see cref="BackpressureMode.Wait"/> by default.</summary>
    public BackpressureMode Backpressure { get; set; } = BackpressureMode.Wait;

    /// <summary>How long <see cref="BackpressureMode.Wait"/> waits for room before refusing; 5 seconds by default.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a failing store write or stage is retried before it is reported; 3 by default.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; each further retry doubles it. 50 ms by default.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a stop waits for the queue to drain; 30 seconds by default.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate(List<string> problems)
    {
        if (QueueCapacity < 1)
        {
            problems.Add($"Ingestion.QueueCapacity must be at least 1; it is {QueueCapacity}.");
        }

        if (MaxBatchSize < 1)
        {
            problems.Add($"Ingestion.MaxBatchSize must be at least 1; it is {MaxBatchSize}.");
        }

        if (MaxBatchDelay < TimeSpan.Zero)
        {
            problems.Add($"Ingestion.MaxBatchDelay must not be negative; it is {MaxBatchDelay}.");
        }

        if (!Enum.IsDefined(Backpressure))
        {
            problems.Add($"Ingestion.Backpressure {(int)Backpressure} is not a mode.");
        }

        if (WaitTimeout < TimeSpan.Zero)
        {
            problems.Add($"Ingestion.WaitTimeout must not be negative; it is {WaitTimeout}.");
        }

        if (MaxRetries < 0)
        {
            problems.Add($"Ingestion.MaxRetries must not be negative; it is {MaxRetries}.");
        }

        if (RetryBaseDelay < TimeSpan.Zero)
        {
            problems.Add($"Ingestion.RetryBaseDelay must not be negative; it is {RetryBaseDelay}.");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            problems.Add($"Ingestion.ShutdownTimeout must not be negative; it is {ShutdownTimeout}.");
        }
    }
}
