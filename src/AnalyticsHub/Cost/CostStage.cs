using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Cost;

/// <summary>
/// The <c>cost</c> stage: prices every newly stored <c>token_usage</c> event and emits the hub's <c>token_cost</c>
/// (decision 16); an unknown model is counted and reported with a warning event, never priced at zero.
/// </summary>
/// <remarks>It reads only <c>token_usage</c>, which it never emits, so its own output does not loop back into it.</remarks>
internal sealed class CostStage(CostMonitor monitor, HubTelemetry telemetry, ILogger<CostStage> logger) : IIngestionStage
{
    public string Name => "cost";

    public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        var priced = 0;
        foreach (var evt in batch.Events)
        {
            if (evt.Payload is not TokenUsageMetrics usage)
            {
                continue;
            }

            if (monitor.Calculator.TryPrice(evt, out var cost))
            {
                batch.Emit(cost);
                monitor.Budgets.ExpectHubCost(usage, evt.Timestamp);
                monitor.Priced(((TokenCostEvent)cost.Payload).TotalCostUsd);
                priced++;
                continue;
            }

            telemetry.CostUnpriced();
            if (monitor.Unpriced(evt, usage) is { } warning)
            {
                Log.ModelNotPriced(logger, usage.ModelId, monitor.Calculator.PriceTable.Version);
                batch.Emit(warning);
            }
        }

        if (priced > 0)
        {
            telemetry.CostPriced(priced);
        }

        return ValueTask.CompletedTask;
    }
}
