using AnalyticsHub.Evaluation.Nab;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// Builds a scenario's <see cref="IncidentEventLabels"/> while its events stream past: the parents of
/// derived events, and the distractor events (events in a distractor's affected series during its
/// window, plus the decoy change events).
/// </summary>
/// <remarks>
/// An event is in a distractor's series when its payload variant is the series' measurement and it
/// carries the series' tags; it is in the window when its true time (its timestamp minus its module's
/// clock skew) lies in one of the series' windows. Events that are members of a true incident are never
/// distractors. Memory: the derived events and the distractor events. Not thread-safe.
/// </remarks>
public sealed class IncidentEventLabeler
{
    private readonly Dictionary<Guid, Guid> _parents = [];
    private readonly HashSet<Guid> _distractors = [];
    private readonly List<AffectedSeries> _series = [];
    private readonly long[] _skewTicks = new long[ModuleNames.Count];

    /// <summary>Creates a labeler for a scenario.</summary>
    /// <param name="plannedTruth">The truth as planned (<see cref="TrafficSimulation.PlannedGroundTruth"/>), for its distractors and clock skews.</param>
    public IncidentEventLabeler(GroundTruth plannedTruth)
    {
        ArgumentNullException.ThrowIfNull(plannedTruth);
        foreach (var distractor in plannedTruth.Distractors)
        {
            _series.AddRange(distractor.AffectedSeries);
        }

        foreach (var (module, seconds) in plannedTruth.Delivery.ClockSkewSeconds)
        {
            if (ModuleNames.TryParse(module, out var m))
            {
                _skewTicks[(int)m] = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
            }
        }
    }

    /// <summary>Takes the next event of the stream.</summary>
    /// <param name="evt">The event.</param>
    public void Observe(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (evt.SourceModule == SourceModule.LlmAnalyticsHub && evt.Common.ParentEventId is { } parent)
        {
            _parents[evt.EventId] = parent;
        }

        if (_series.Count == 0)
        {
            return;
        }

        var subtype = evt.Payload.Subtype;
        var module = (int)evt.SourceModule;
        var trueTicks = evt.Timestamp.UtcTicks - (module < _skewTicks.Length ? _skewTicks[module] : 0);
        foreach (var series in _series)
        {
            if (!string.Equals(series.Measurement, subtype, StringComparison.Ordinal) || !NabSeriesExporter.Matches(series, evt))
            {
                continue;
            }

            foreach (var window in series.Windows)
            {
                if (trueTicks >= window.Start.UtcTicks && trueTicks <= window.End.UtcTicks)
                {
                    _distractors.Add(evt.EventId);
                    return;
                }
            }
        }
    }

    /// <summary>Finishes the labels once the stream has ended.</summary>
    /// <param name="truth">The final ground truth (for the decoys and the incidents' members).</param>
    /// <returns>The labels.</returns>
    public IncidentEventLabels Complete(GroundTruth truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        var distractors = new HashSet<Guid>(_distractors);
        foreach (var decoy in truth.Decoys)
        {
            if (decoy.Emitted)
            {
                distractors.Add(decoy.EventId);
            }
        }

        foreach (var incident in truth.Incidents)
        {
            foreach (var member in incident.Members)
            {
                distractors.Remove(member.EventId);
            }
        }

        return new IncidentEventLabels { DerivedParents = new Dictionary<Guid, Guid>(_parents), DistractorEvents = distractors };
    }
}
