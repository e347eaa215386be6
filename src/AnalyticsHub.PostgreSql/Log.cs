using Microsoft.Extensions.Logging;

namespace AnalyticsHub.PostgreSql;

/// <summary>The adapter's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "The PostgreSQL notification listener lost its connection; reconnecting in {Delay}")]
    public static partial void ListenerDisconnected(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(2, LogLevel.Information, "The PostgreSQL notification listener is listening on {Channel}, caught up to sequence {Sequence}")]
    public static partial void ListenerConnected(ILogger logger, string channel, long sequence);

    [LoggerMessage(3, LogLevel.Warning, "Delivering stored events to subscribers failed; retrying in {Delay}")]
    public static partial void DispatchFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Information, "Dropped event partition {Partition} (retention)")]
    public static partial void PartitionDropped(ILogger logger, string partition);
}
