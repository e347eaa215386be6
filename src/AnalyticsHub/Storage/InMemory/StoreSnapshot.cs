namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The root of everything a query reads: the measurement indexes and the series states, in pages of 256 ids so
/// a write copies only the pages it touches. Immutable once published; a reader holds one for the whole query.
/// </summary>
internal sealed class StoreSnapshot
{
    public const int PageShift = 8;
    public const int PageSize = 1 << PageShift;

    public static StoreSnapshot Empty { get; } = new()
    {
        Measurements = new Dictionary<string, MeasurementState>(StringComparer.Ordinal),
        Pages = [],
        SeriesCount = 0,
    };

    public required Dictionary<string, MeasurementState> Measurements { get; init; }

    public required SeriesState?[][] Pages { get; init; }

    public required int SeriesCount { get; init; }

    public SeriesState Get(int id) => Pages[id >> PageShift][id & (PageSize - 1)]!;
}
