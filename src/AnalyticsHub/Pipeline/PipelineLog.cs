using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Pipeline;

/// <summary>The pipeline's log messages, source-generated.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Step} failed on attempt {Attempt} of {Attempts}; retrying in {Delay}.")]
    public static partial void StepRetrying(ILogger logger, string step, int attempt, int attempts, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Step} gave up on a batch of {Count} events after {Attempts} attempts.")]
    public static partial void StepFailed(ILogger logger, string step, int count, int attempts, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Shutdown left {Count} accepted events unfinished after {Timeout}.")]
    public static partial void ShutdownIncomplete(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Stage {Stage} is disabled: it consumes {HandOff}, and {Reason}.")]
    public static partial void StageDisabledByDependency(ILogger logger, string stage, string handOff, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "DisabledStages names {Stage}, which is not a registered stage (registered: {Registered}).")]
    public static partial void UnknownDisabledStage(ILogger logger, string stage, string registered);
}
