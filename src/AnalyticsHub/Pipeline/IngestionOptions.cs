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

    /// <summary>How often a failing store write or stage is retried before it is reported; 3 by default, zero for none.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The first retry's delay; each further retry doubles it on average, with jitter, up to <see cref="RetryMaxDelay"/>.
    /// 50 ms by default.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest any one retry waits, whatever <see cref="MaxRetries"/> is; 5 seconds by default.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most time one store write or one stage may spend on a batch, every attempt and wait included; then it gives
    /// up on the batch. 10 seconds by default; between 10 ms and 1 day.
    /// </summary>
    /// <remarks>
    /// The pipeline has one reader, so this bounds how long a failing store or stage can hold up all ingestion. It
    /// cancels the token the store or stage was given; one that ignores its token runs on, and only a stop
    /// (<see cref="ShutdownTimeout"/>) stops waiting for it.
    /// </remarks>
    public TimeSpan MaxRetryTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The circuit breaker in front of each stage, which stops calling a stage that keeps failing.</summary>
    public StageCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>How long a stop waits for the queue to drain; 30 seconds by default.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinimumRetryTime = TimeSpan.FromMilliseconds(10);

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

        if (RetryBaseDelay > OneDay)
        {
            problems.Add($"Ingestion.RetryBaseDelay must be at most one day; it is {RetryBaseDelay}.");
        }

        if (RetryMaxDelay < RetryBaseDelay || RetryMaxDelay > OneDay)
        {
            problems.Add($"Ingestion.RetryMaxDelay must be between RetryBaseDelay ({RetryBaseDelay}) and one day; it is {RetryMaxDelay}.");
        }

        if (MaxRetryTime < MinimumRetryTime || MaxRetryTime > OneDay)
        {
            problems.Add($"Ingestion.MaxRetryTime must be between {MinimumRetryTime} and one day; it is {MaxRetryTime}.");
        }

        if (CircuitBreaker is null)
        {
            problems.Add("Ingestion.CircuitBreaker must not be null.");
        }
        else
        {
            CircuitBreaker.Validate(problems);
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            problems.Add($"Ingestion.ShutdownTimeout must not be negative; it is {ShutdownTimeout}.");
        }
    }
}
