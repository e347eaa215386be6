namespace AnalyticsHub.Pipeline;

/// <summary>The ingestion pipeline's queue, batching, backpressure, retries and shutdown.</summary>
public sealed class IngestionOptions
{
    /// <summary>How many accepted events may wait in the queue; 65,536 by default, 1 to 16,777,216.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>The most events processed as one batch; 1,024 by default, 1 to 1,048,576.</summary>
    public int MaxBatchSize { get; set; } = 1_024;

    /// <summary>How long a partial batch waits for more events (clock time); zero (the default) processes what is there at once; at most one day.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>What happens when the queue is full; <see cref="BackpressureMode.Wait"/> by default.</summary>
    public BackpressureMode Backpressure { get; set; } = BackpressureMode.Wait;

    /// <summary>How long <see cref="BackpressureMode.Wait"/> waits for room before refusing; 5 seconds by default, at most one day.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a failing store write or stage is retried before it is reported; 3 by default, zero for none, at most 1,000.</summary>
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

    /// <summary>
    /// Whether stages of different concurrency groups (<see cref="IIngestionStage.ConcurrencyGroup"/>) run at the same
    /// time on a batch; on by default. Off, every stage runs in turn on the pipeline's reader, as it does on when the
    /// process has one processor (<see cref="Environment.ProcessorCount"/>: its affinity or CPU quota), where lanes would
    /// only take turns.
    /// </summary>
    /// <remarks>Either way each stage sees every batch once, in order, and derived events follow in pipeline order.</remarks>
    public bool ConcurrentStages { get; set; } = true;

    /// <summary>How long a stop waits for the queue to drain; 30 seconds by default, at most one day.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    private const int MaxQueueCapacity = 16_777_216;
    private const int MaxBatchSizeLimit = 1_048_576;
    private const int MaxRetriesLimit = 1_000;
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinimumRetryTime = TimeSpan.FromMilliseconds(10);

    internal void Validate(List<string> problems)
    {
        if (QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            problems.Add($"Ingestion.QueueCapacity must lie in 1..{MaxQueueCapacity}; it is {QueueCapacity}.");
        }

        if (MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            problems.Add($"Ingestion.MaxBatchSize must lie in 1..{MaxBatchSizeLimit}; it is {MaxBatchSize}.");
        }

        if (MaxBatchDelay < TimeSpan.Zero || MaxBatchDelay > OneDay)
        {
            problems.Add($"Ingestion.MaxBatchDelay must be between 0 and one day; it is {MaxBatchDelay}.");
        }

        if (!Enum.IsDefined(Backpressure))
        {
            problems.Add($"Ingestion.Backpressure {(int)Backpressure} is not a mode.");
        }

        if (WaitTimeout < TimeSpan.Zero || WaitTimeout > OneDay)
        {
            problems.Add($"Ingestion.WaitTimeout must be between 0 and one day; it is {WaitTimeout}.");
        }

        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            problems.Add($"Ingestion.MaxRetries must lie in 0..{MaxRetriesLimit}; it is {MaxRetries}.");
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

        if (ShutdownTimeout < TimeSpan.Zero || ShutdownTimeout > OneDay)
        {
            problems.Add($"Ingestion.ShutdownTimeout must be between 0 and one day; it is {ShutdownTimeout}.");
        }
    }
}
