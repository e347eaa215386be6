using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// Builds the Polly pipelines the ingestion pipeline runs the store and each stage through: a total time limit
/// (<see cref="IngestionOptions.MaxRetryTime"/>) around capped exponential retries with jitter, around (for stages) a
/// circuit breaker. Built once per step at start; executing one costs no allocation on the success path.
/// </summary>
internal static class PipelineResilience
{
    /// <summary>The event store's pipeline: time limit and retries, no breaker (a batch the store cannot take fails).</summary>
    public static ResiliencePipeline ForStore(IngestionOptions options, PipelineTelemetry telemetry, TimeProvider timeProvider, ILogger logger, Func<double>? randomizer = null) =>
        Build(PipelineTelemetry.EventStoreStep, options, telemetry, timeProvider, logger, breaker: false, randomizer);

    /// <summary>A stage's pipeline: time limit, retries and, unless disabled, its own circuit breaker.</summary>
    public static ResiliencePipeline ForStage(string stage, IngestionOptions options, PipelineTelemetry telemetry, TimeProvider timeProvider, ILogger logger, Func<double>? randomizer = null) =>
        Build(stage, options, telemetry, timeProvider, logger, options.CircuitBreaker.Enabled, randomizer);

    /// <summary>The <c>error.type</c> of a failed step.</summary>
    public static string ErrorType(Exception exception) => exception switch
    {
        TimeoutRejectedException => PipelineTelemetry.Timeout,
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    /// <summary>
    /// Whether a failure may pass if tried again. Permanent: the input itself is refused (argument, format, cast,
    /// overflow, JSON and not-supported errors, and a <see cref="System.Data.Common.DbException"/> that says it is not
    /// transient); those are not retried, and a store batch that fails so is split to isolate the refused events.
    /// Everything else (time-outs, I/O, unknown errors) counts as transient, as before.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        System.Data.Common.DbException db => db.IsTransient,
        ArgumentException or FormatException or InvalidCastException or OverflowException or NotSupportedException
            or System.Text.Json.JsonException or InvalidDataException => false,
        _ => true,
    };

    /// <summary>
    /// Whether a failed attempt counts (for retries and the breaker): cancellation through the step's own token, a stop
    /// or the time limit, does not; nor does an open circuit.
    /// </summary>
    private static bool IsFailure(Exception? exception, ResilienceContext context) => exception switch
    {
        null => false,
        BrokenCircuitException => false,
        OperationCanceledException => !context.CancellationToken.IsCancellationRequested,
        _ => true,
    };

    private static ResiliencePipeline Build(string step, IngestionOptions options, PipelineTelemetry telemetry, TimeProvider timeProvider, ILogger logger, bool breaker, Func<double>? randomizer)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "AnalyticsHub", InstanceName = step };
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.MaxRetryTime });
        if (options.MaxRetries > 0)
        {
            var attempts = options.MaxRetries + 1;
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = static args => new ValueTask<bool>(IsFailure(args.Outcome.Exception, args.Context) && IsTransient(args.Outcome.Exception!)),
                OnRetry = args =>
                {
                    var exception = args.Outcome.Exception!;
                    telemetry.Retrying(step, ErrorType(exception));
                    PipelineLog.StepRetrying(logger, step, args.AttemptNumber + 1, attempts, args.RetryDelay, exception);
                    return default;
                },
            };
            if (randomizer is not null)
            {
                retry.Randomizer = randomizer;
            }

            builder.AddRetry(retry);
        }

        if (breaker)
        {
            var circuit = options.CircuitBreaker;
            telemetry.TrackCircuit(step);
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = circuit.FailureRatio,
                MinimumThroughput = circuit.MinimumThroughput,
                SamplingDuration = circuit.SamplingDuration,
                BreakDuration = circuit.BreakDuration,
                ShouldHandle = static args => new ValueTask<bool>(IsFailure(args.Outcome.Exception, args.Context)),
                OnOpened = args =>
                {
                    telemetry.CircuitChanged(step, PipelineTelemetry.CircuitStatus.Open);
                    PipelineLog.CircuitOpened(logger, step, args.BreakDuration, args.Outcome.Exception);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    telemetry.CircuitChanged(step, PipelineTelemetry.CircuitStatus.HalfOpen);
                    PipelineLog.CircuitHalfOpened(logger, step);
                    return default;
                },
                OnClosed = _ =>
                {
                    telemetry.CircuitChanged(step, PipelineTelemetry.CircuitStatus.Closed);
                    PipelineLog.CircuitClosed(logger, step);
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
