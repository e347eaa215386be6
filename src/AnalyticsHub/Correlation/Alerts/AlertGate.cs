namespace AnalyticsHub.Correlation.Alerts;

/// <summary>
/// Decides which incident states raise an alert (<see cref="AlertThresholds"/>) and keeps each incident to one alert per
/// severity step: a step is alerted only when it is above every step alerted for the incident before, so updates,
/// out-of-order updates and a replay of the stream raise nothing twice.
/// </summary>
/// <remarks>Remembers the highest step of the latest <see cref="Capacity"/> incidents (the oldest are forgotten first). Single-threaded.</remarks>
internal sealed class AlertGate(AlertThresholds thresholds)
{
    /// <summary>The incidents remembered.</summary>
    public const int Capacity = 100_000;

    private readonly Dictionary<Guid, ImpactSeverity> _alerted = [];
    private readonly Queue<Guid> _order = new();

    /// <summary>
    /// The step an incident state should alert, or null: a state alerts when its strength reaches
    /// <see cref="AlertThresholds.MinCorrelationStrength"/> and its strongest anomaly score reaches
    /// <see cref="AlertThresholds.MinAnomalyScore"/> (an incident without anomalies passes this part), or when its impact
    /// score reaches <see cref="AlertThresholds.CriticalImpactThreshold"/>. Its step is the severity band, critical only
    /// from the critical threshold on (below it a critical band alerts as high); a negligible step never alerts.
    /// </summary>
    public ImpactSeverity? Decide(Guid correlationId, double strength, double? peakAnomalyScore, double impactScore)
    {
        var critical = impactScore >= thresholds.CriticalImpactThreshold;
        var strong = strength >= thresholds.MinCorrelationStrength && (peakAnomalyScore is null || peakAnomalyScore >= thresholds.MinAnomalyScore);
        if (!critical && !strong)
        {
            return null;
        }

        var step = critical ? ImpactSeverity.Critical : ImpactAssessment.SeverityOf(impactScore);
        if (step == ImpactSeverity.Critical && !critical)
        {
            step = ImpactSeverity.High;
        }

        if (step == ImpactSeverity.Negligible || (_alerted.TryGetValue(correlationId, out var alerted) && alerted >= step))
        {
            return null;
        }

        if (!_alerted.ContainsKey(correlationId))
        {
            if (_order.Count >= Capacity)
            {
                _alerted.Remove(_order.Dequeue());
            }

            _order.Enqueue(correlationId);
        }

        _alerted[correlationId] = step;
        return step;
    }
}
