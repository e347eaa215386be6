using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Cost;

/// <summary>The cost and budget stages' log messages, source-generated.</summary>
internal static partial class CostLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "token_usage of model {ModelId} was not priced: price table {Version} does not know it (counted as unpriced; add the model to the table).")]
    public static partial void ModelNotPriced(ILogger logger, string modelId, string version);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Budget {BudgetId} alert at {ThresholdPercent}% ({AlertType}, forecast {Forecast}): spend {SpendUsd} of {LimitUsd} USD.")]
    public static partial void BudgetAlert(ILogger logger, string budgetId, double thresholdPercent, Events.BudgetAlertType alertType, bool forecast, double spendUsd, double limitUsd);
}
