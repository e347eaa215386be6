using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Hosting;

/// <summary>
/// One batch of newly stored events as a stage sees it, what earlier stages made of it (the time-series
/// points, the metric windows it closed), and the way back in for derived events.
/// </summary>
public sealed class IngestionBatch
{
    private readonly List<AnalyticsEvent> _derived = [];
    private TimeSeriesPoint[]? _points;

    internal IngestionBatch(IReadOnlyList<AnalyticsEvent> events)
    {
        Events = events;
    }

    /// <summary>The newly stored events, in the order they were stored.</summary>
    public IReadOnlyList<AnalyticsEvent> Events { get; }

    /// <summary>
    /// The time-series point of each event (<see cref="PointExtractor"/>), index for index with <see cref="Events"/>;
    /// extracted once, on first use, for every stage that needs them.
    /// </summary>
    public IReadOnlyList<TimeSeriesPoint> Points
    {
        get
        {
            if (_points is null)
            {
                var points = new TimeSeriesPoint[Events.Count];
                for (var i = 0; i < points.Length; i++)
                {
                    points[i] = PointExtractor.Extract(Events[i]);
                }

                _points = points;
            }

            return _points;
        }
    }

    /// <summary>
    /// The metric windows this batch closed (the <c>metrics</c> stage sets them; empty before it runs or when it is
    /// disabled), finest windows first. Each window's <see cref="ClosedWindow.Sketch"/> is a copy valid while the batch
    /// goes through the stages: the metrics stage reuses it for a later batch, so clone it to keep it.
    /// </summary>
    public IReadOnlyList<ClosedWindow> ClosedWindows { get; internal set; } = [];

    internal IReadOnlyList<AnalyticsEvent> Derived => _derived;

    /// <summary>
    /// Emits an event the hub derived (an anomaly, a token cost, a budget alert, ...): it is stored and
    /// passes through every stage like any other event (spec decision 16).
    /// </summary>
    public void Emit(AnalyticsEvent derived)
    {
        ArgumentNullException.ThrowIfNull(derived);
        _derived.Add(derived);
    }
}
