using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Pipeline;

/// <summary>The pipeline's log messages, source-generated.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Step} failed on attempt {Attempt} of {Attempts}; retrying in {Delay}.")]
    public static partial void StepRetrying(ILogger logger, string step, int attempt, int attempts, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Step} gave up on a batch of {Count} events ({ErrorType}).")]
    public static partial void StepFailed(ILogger logger, string step, int count, string errorType, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Shutdown failed {Count} accepted events it could not finish within {Timeout}.")]
    public static partial void ShutdownIncomplete(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "The event store finished a batch of {Count} events ({Stored} newly stored) after the shutdown had counted them as failed; they are not counted again.")]
    public static partial void LateStoreCompletion(ILogger logger, int count, int stored);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Stage {Stage} keeps failing: its circuit is open and batches skip it for {BreakDuration}, then one batch probes it.")]
    public static partial void CircuitOpened(ILogger logger, string stage, TimeSpan breakDuration, Exception? exception);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Stage {Stage}'s circuit is half-open: the next batch probes it.")]
    public static partial void CircuitHalfOpened(ILogger logger, string stage);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Stage {Stage}'s circuit is closed: the stage runs on every batch again.")]
    public static partial void CircuitClosed(ILogger logger, string stage);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "The stop ran out of time while stage {Stage} was still running; the loop will exit when it returns.")]
    public static partial void StageAbandoned(ILogger logger, string stage);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Stage {Stage} is disabled: it consumes {HandOff}, and {Reason}.")]
    public static partial void StageDisabledByDependency(ILogger logger, string stage, string handOff, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "DisabledStages names {Stage}, which is not a registered stage (registered: {Registered}).")]
    public static partial void UnknownDisabledStage(ILogger logger, string stage, string registered);
}
