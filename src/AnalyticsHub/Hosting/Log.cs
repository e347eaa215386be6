using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Hosting;

/// <summary>The hub's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Step} failed on attempt {Attempt} of {Attempts}; retrying in {Delay}.")]
    public static partial void StepRetrying(ILogger logger, string step, int attempt, int attempts, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Step} gave up on a batch of {Count} events after {Attempts} attempts.")]
    public static partial void StepFailed(ILogger logger, string step, int count, int attempts, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Shutdown left {Count} accepted events unfinished after {Timeout}.")]
    public static partial void ShutdownIncomplete(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A {Measurement} point was not stored ({Code}): {Message}")]
    public static partial void PointRejected(ILogger logger, string measurement, string code, string message);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Analytics hub started with stages: {Stages}.")]
    public static partial void Started(ILogger logger, string stages);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The metrics stage tracks its limit of {MaxSeries} series; values of new series are counted as skipped (analyticshub.metrics.skipped_values).")]
    public static partial void MetricSeriesLimitReached(ILogger logger, int maxSeries);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Retention applied: {RawDropped} raw points dropped, {RawDownsampled} downsampled, {Merged} rollup buckets merged, {RollupsDropped} dropped.")]
    public static partial void RetentionApplied(ILogger logger, long rawDropped, long rawDownsampled, long merged, long rollupsDropped);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Applying the retention policy failed; the next scheduled pass tries again.")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "token_usage of model {ModelId} was not priced: price table {Version} does not know it (counted as unpriced; add the model to the table).")]
    public static partial void ModelNotPriced(ILogger logger, string modelId, string version);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Budget {BudgetId} alert at {ThresholdPercent}% ({AlertType}, forecast {Forecast}): spend {SpendUsd} of {LimitUsd} USD.")]
    public static partial void BudgetAlert(ILogger logger, string budgetId, double thresholdPercent, Events.BudgetAlertType alertType, bool forecast, double spendUsd, double limitUsd);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "The anomalies stage tracks its limit of {MaxSeries} series; windows of new series are not scored and are counted (analyticshub.anomalies.untracked_windows).")]
    public static partial void AnomalySeriesLimitReached(ILogger logger, int maxSeries);
}
