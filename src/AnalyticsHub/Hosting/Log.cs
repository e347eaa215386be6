using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Hosting;

/// <summary>The hub facade's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Analytics hub started with stages: {Stages}.")]
    public static partial void Started(ILogger logger, string stages);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Retention applied: {RawDropped} raw points dropped, {RawDownsampled} downsampled, {Merged} rollup buckets merged, {RollupsDropped} dropped.")]
    public static partial void RetentionApplied(ILogger logger, long rawDropped, long rawDownsampled, long merged, long rollupsDropped);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Applying the retention policy failed; the next scheduled pass tries again.")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
