using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Cost;

/// <summary>
/// The <c>budgets</c> stage: counts every newly stored <c>token_cost</c> event (the producers' and the hub's,
/// once per request, see <see cref="BudgetCostSource"/>) and emits <c>budget_alert</c> events.
/// </summary>
/// <remarks>It reads only <c>token_cost</c> and emits only <c>budget_alert</c>, so it does not loop on its own output.</remarks>
internal sealed class BudgetStage(CostMonitor monitor, HubTelemetry telemetry, ILogger<BudgetStage> logger) : IIngestionStage
{
    private readonly List<AnalyticsEvent> _alerts = [];

    public string Name => "budgets";

    public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        var tracker = monitor.Budgets;
        if (!tracker.HasBudgets)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var evt in batch.Events)
        {
            if (evt.Payload is not TokenCostEvent)
            {
                continue;
            }

            _alerts.Clear();
            tracker.Track(evt, _alerts);
            foreach (var alert in _alerts)
            {
                var payload = (BudgetAlertEvent)alert.Payload;
                var forecast = alert.Common.Tags.ContainsKey("forecast");
                monitor.Alerted(forecast);
                telemetry.BudgetAlert(payload.AlertType, forecast);
                Log.BudgetAlert(logger, payload.BudgetId, payload.ThresholdPercent, payload.AlertType, forecast, payload.CurrentSpendUsd, payload.BudgetLimitUsd);
                batch.Emit(alert);
            }
        }

        return ValueTask.CompletedTask;
    }
}
