namespace AnalyticsHub.Metrics;

/// <summary>Receives the windows a <see cref="WindowedAggregator"/> closes, e.g. to write them to the time-series store's rollups.</summary>
/// <remarks>
/// Calls come from whichever thread closes windows (a writer whose point moved the watermark, or a
/// caller of <see cref="WindowedAggregator.AdvanceWatermark"/> / <see cref="WindowedAggregator.Flush"/>),
/// one at a time, never concurrently. A sink must not record into the aggregator that calls it and
/// should not throw: an exception ends the close pass and the rest of its windows are lost.
/// </remarks>
public interface IClosedWindowSink
{
    /// <summary>Called once per closed window and series: finest windows of a pass first, then each coarser window, each in start and key order.</summary>
    /// <param name="window">The closed window. Its <see cref="ClosedWindow.Sketch"/> is lent for the call only: clone it to keep it.</param>
    void OnWindowClosed(in ClosedWindow window);

    /// <summary>Called after each close pass, once every window ending at or before <paramref name="closedUpTo"/> has been delivered.</summary>
    /// <param name="closedUpTo">The instant up to which all windows are now closed (<see cref="DateTimeOffset.MaxValue"/> after <see cref="WindowedAggregator.Flush"/>).</param>
    void OnClosePassCompleted(DateTimeOffset closedUpTo);
}
