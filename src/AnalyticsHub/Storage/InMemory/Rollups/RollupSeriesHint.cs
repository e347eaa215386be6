namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>
/// The rollup series a metric series' tags were last found in: valid for that store and measurement while the store's
/// <see cref="RollupStore.Generation"/> has not moved (only retention removes series). Immutable, so a tag map shared by
/// writers of several stores reads a whole hint or none.
/// </summary>
/// <param name="Store">The store that holds the series.</param>
/// <param name="Generation">The store's generation when the series was found.</param>
/// <param name="Measurement">The measurement the series belongs to.</param>
/// <param name="Series">The series.</param>
internal sealed record RollupSeriesHint(RollupStore Store, long Generation, string Measurement, RollupSeries Series);
