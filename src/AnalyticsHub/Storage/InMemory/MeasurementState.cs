namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// A published, immutable inverted index of one measurement: every series id (sorted) and, per tag key, each
/// value's sorted posting list. Replaced copy-on-write (only the touched tag keys are copied) when series are created.
/// </summary>
internal sealed class MeasurementState
{
    public required string Name { get; init; }

    public required int[] SeriesIds { get; init; }

    public required Dictionary<string, Dictionary<string, int[]>> TagIndex { get; init; }
}
