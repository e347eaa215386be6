using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Metrics;

/// <summary>Keeps a copy of every closed window (the sketch cloned, as the sink contract asks) and the close passes.</summary>
internal sealed class CollectingWindowSink : IClosedWindowSink
{
    public List<Captured> Windows { get; } = [];

    public List<DateTimeOffset> Passes { get; } = [];

    public void OnWindowClosed(in ClosedWindow window) =>
        Windows.Add(new Captured(window.Series.ToString(), window.Series.Name, window.Window, window.Start, window.End, window.Stats, window.Sketch.Clone(), window.ToAggregatedMetric()));

    public void OnClosePassCompleted(DateTimeOffset closedUpTo) => Passes.Add(closedUpTo);

    public IEnumerable<Captured> Of(TimeWindow window) => Windows.Where(w => w.Window == window);

    public sealed record Captured(string Series, string Name, TimeWindow Window, DateTimeOffset Start, DateTimeOffset End, StreamingStats Stats, QuantileSketch Sketch, AggregatedMetric Metric)
    {
        public string Id => $"{Series}|{Window}|{Start:O}";
    }
}
