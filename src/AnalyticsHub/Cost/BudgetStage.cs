using System.Diagnostics.Metrics;
using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Cost;

/// <summary>
/// The <c>budgets</c> stage: counts every newly stored <c>token_cost</c> event (the producers' and the hub's,
/// once per request, see <see cref="BudgetCostSource"/>) and emits <c>budget_alert</c> events.
/// </summary>
/// <remarks>
/// It reads only <c>token_cost</c> and emits only <c>budget_alert</c>, so it does not loop on its own output. Before its
/// first batch it restores the periods saved in the <see cref="IBudgetStateStore"/>; after each batch it saves the
/// periods the batch changed. A retried batch (the save failed) is not counted again: only the save is retried.
/// </remarks>
internal sealed class BudgetStage(CostMonitor monitor, IBudgetStateStore stateStore, HubMeter meter, ILogger<BudgetStage> logger) : IIngestionStage
{
    private readonly Counter<long> _alertCounter = meter.Meter.CreateCounter<long>("analyticshub.budget.alerts", "{alert}", "Budget alerts emitted, by alert type and whether a forecast.");
    private readonly List<AnalyticsEvent> _alerts = [];
    private readonly List<BudgetPeriodState> _unsaved = [];
    private IngestionBatch? _counted;
    private bool _restored;

    public string Name => "budgets";

    public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        var tracker = monitor.Budgets;
        if (!tracker.HasBudgets)
        {
            return;
        }

        if (!_restored)
        {
            tracker.Restore(await stateStore.LoadAsync(cancellationToken).ConfigureAwait(false));
            _restored = true;
        }

        if (!ReferenceEquals(batch, _counted))
        {
            Count(tracker, batch);
            _counted = batch;
            _unsaved.AddRange(tracker.TakeChanges());
        }

        if (_unsaved.Count > 0)
        {
            await stateStore.SaveAsync(_unsaved, cancellationToken).ConfigureAwait(false);
            _unsaved.Clear();
        }
    }

    private void Count(BudgetTracker tracker, IngestionBatch batch)
    {
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
                _alertCounter.Add(
                    1,
                    new KeyValuePair<string, object?>("alert_type", payload.AlertType.ToString().ToLowerInvariant()),
                    new KeyValuePair<string, object?>("forecast", forecast));
                CostLog.BudgetAlert(logger, payload.BudgetId, payload.ThresholdPercent, payload.AlertType, forecast, payload.CurrentSpendUsd, payload.BudgetLimitUsd);
                batch.Emit(alert);
            }
        }
    }
}
