namespace AnalyticsHub.Simulation.Traffic;

/// <summary>Builds <see cref="AffectedSeries"/> values.</summary>
internal static class SeriesFactory
{
    public static AffectedSeries Create(string measurement, string field, string aggregation, long windowStart, long windowEnd, params (string Key, string Value)[] tags)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            map[key] = value;
        }

        return new AffectedSeries
        {
            Measurement = measurement,
            Tags = map,
            Field = field,
            Aggregation = aggregation,
            Windows = [new TruthWindow(SimTime.ToOffset(windowStart), SimTime.ToOffset(windowEnd))],
        };
    }
}
