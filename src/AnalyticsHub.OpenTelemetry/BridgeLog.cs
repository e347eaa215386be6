using Microsoft.Extensions.Logging;

namespace AnalyticsHub.OpenTelemetry;

/// <summary>The bridge's log messages, source-generated.</summary>
internal static partial class BridgeLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "GenAI telemetry bridge listening to sources {Sources} and prefixes {Prefixes}.")]
    public static partial void Started(ILogger logger, string sources, string prefixes);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "The hub rejected a bridged {Subtype} event: {Code} at {Path}: {Message}")]
    public static partial void Rejected(ILogger logger, string subtype, string code, string path, string message);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "{Count} bridged events could not be offered to the hub (not running, or its ingest failed).")]
    public static partial void NotOffered(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "Mapping a GenAI span from {Source} failed; the call is skipped.")]
    public static partial void MapFailed(ILogger logger, string? source, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "GenAI telemetry bridge stopped: {Observed} calls observed, {Dropped} dropped, {Accepted} events accepted by the hub.")]
    public static partial void Stopped(ILogger logger, long observed, long dropped, long accepted);
}
