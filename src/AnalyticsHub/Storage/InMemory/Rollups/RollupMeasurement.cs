namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>The rollup series of one measurement and how far back its raw data still reaches.</summary>
internal sealed class RollupMeasurement
{
    /// <summary>The series by tag identity.</summary>
    public Dictionary<string, RollupSeries> Series { get; } = new(StringComparer.Ordinal);

    /// <summary>Raw points before this instant (UTC ticks) have been replaced by rollups; queries read rollups below it.</summary>
    public long RawHorizon { get; set; } = long.MinValue;
}
