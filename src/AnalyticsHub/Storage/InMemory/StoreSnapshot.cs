namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The root of everything a query reads: the measurement indexes and the series states, in a three-level tree
/// (directories of 256 leaves of 16 ids) so a write copies only the leaves and directories it touches: a batch that
/// touches a thousand series spread over the whole id space copies about 16 references per series, not every page.
/// Immutable once published; a reader holds one for the whole query.
/// </summary>
internal sealed class StoreSnapshot
{
    public const int LeafShift = 4;
    public const int LeafSize = 1 << LeafShift;
    public const int DirectoryShift = 8;
    public const int DirectorySize = 1 << DirectoryShift;
    private const int DirectorySpanShift = LeafShift + DirectoryShift;

    public static StoreSnapshot Empty { get; } = new()
    {
        Measurements = new Dictionary<string, MeasurementState>(StringComparer.Ordinal),
        Directories = [],
        SeriesCount = 0,
    };

    public required Dictionary<string, MeasurementState> Measurements { get; init; }

    /// <summary>Directories of leaves of series states, by id.</summary>
    public required SeriesState?[]?[][] Directories { get; init; }

    public required int SeriesCount { get; init; }

    public SeriesState Get(int id) => Directories[id >> DirectorySpanShift][(id >> LeafShift) & (DirectorySize - 1)]![id & (LeafSize - 1)]!;

    /// <summary>The directories of <paramref name="old"/> with the states of <paramref name="touched"/> replaced (copy-on-write).</summary>
    public static SeriesState?[]?[][] With(SeriesState?[]?[][] old, int seriesCount, List<SeriesWriter> touched)
    {
        var directoryCount = (seriesCount + (1 << DirectorySpanShift) - 1) >> DirectorySpanShift;
        var directories = new SeriesState?[]?[directoryCount][];
        Array.Copy(old, directories, old.Length);
        var copiedDirectories = new bool[directoryCount];
        var copiedLeaves = new bool[(seriesCount + LeafSize - 1) >> LeafShift];
        foreach (var writer in touched)
        {
            var id = writer.Id;
            var d = id >> DirectorySpanShift;
            if (!copiedDirectories[d])
            {
                var fresh = new SeriesState?[]?[DirectorySize];
                directories[d]?.CopyTo(fresh, 0);
                directories[d] = fresh;
                copiedDirectories[d] = true;
            }

            var directory = directories[d];
            var l = (id >> LeafShift) & (DirectorySize - 1);
            if (!copiedLeaves[id >> LeafShift])
            {
                var fresh = new SeriesState?[LeafSize];
                directory[l]?.CopyTo(fresh, 0);
                directory[l] = fresh;
                copiedLeaves[id >> LeafShift] = true;
            }

            directory[l]![id & (LeafSize - 1)] = writer.Publish();
        }

        return directories;
    }
}
