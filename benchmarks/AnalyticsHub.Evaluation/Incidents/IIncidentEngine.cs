using AnalyticsHub.Events;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// An engine under test for incident correlation: it sees events one at a time, as the hub would
/// (in delivery order, duplicates, late and skewed events included, and the hub's own derived events
/// whose <c>parent_event_id</c> points at their trigger), and at the end reports its incidents.
/// </summary>
/// <remarks>
/// Each scenario gets a fresh instance. The engine never sees the ground truth. Memory bounds and
/// windowing are the engine's own concern; the harness measures its throughput over
/// <see cref="Observe"/> and <see cref="Finish"/> together.
/// </remarks>
public interface IIncidentEngine
{
    /// <summary>The engine's name in reports, e.g. <c>time_bucket</c>.</summary>
    string Name { get; }

    /// <summary>Takes the next event of the stream.</summary>
    /// <param name="evt">The event; not <see langword="null"/>.</param>
    void Observe(AnalyticsEvent evt);

    /// <summary>Ends the stream and returns every incident found, in the engine's order (earlier entries win ties in matching).</summary>
    /// <returns>The predicted incidents; empty when none.</returns>
    IReadOnlyList<PredictedIncident> Finish();

    /// <summary>
    /// Every derived event the engine emitted (the hub's anomaly episodes, correlation events, ...), read after
    /// <see cref="Finish"/>; the scorer maps each to the producer events it stands for. Empty for an engine that only
    /// reports producer events.
    /// </summary>
    IReadOnlyList<AnalyticsEvent> DerivedEvents => [];
}
