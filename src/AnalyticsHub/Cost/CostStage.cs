using System.Diagnostics.Metrics;
using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Cost;

/// <summary>
/// The <c>cost</c> stage: prices every newly stored <c>token_usage</c> event and emits the hub's <c>token_cost</c>
/// (decision 16); an unknown model is counted and reported with a warning event, never priced at zero.
/// </summary>
/// <remarks>It reads only <c>token_usage</c>, which it never emits, so its own output does not loop back into it.</remarks>
internal sealed class CostStage(CostMonitor monitor, HubMeter meter, ILogger<CostStage> logger) : IIngestionStage
{
    private readonly Counter<long> _priced = meter.Meter.CreateCounter<long>("analyticshub.cost.priced", "{request}", "token_usage events the cost stage priced.");
    private readonly Counter<long> _unpriced = meter.Meter.CreateCounter<long>("analyticshub.cost.unpriced", "{request}", "token_usage events not priced because the price table does not know the model (error.type unknown_model).");

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

            _unpriced.Add(1, new KeyValuePair<string, object?>("error.type", "unknown_model"));
            if (monitor.Unpriced(evt, usage) is { } warning)
            {
                CostLog.ModelNotPriced(logger, usage.ModelId, monitor.Calculator.PriceTable.Version);
                batch.Emit(warning);
            }
        }

        if (priced > 0)
        {
            _priced.Add(priced);
        }

        return ValueTask.CompletedTask;
    }
}
