using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Storage.InMemory;

/// <summary>
/// A rollup level keeps every bucket's cells in one array, one entry per field (a field added later widens every
/// bucket): whatever the order of the buckets and fields written and removed, each (bucket, field) reads the cell made
/// for it and nothing else, as a map from bucket start and field to cell would.
/// </summary>
public class RollupLevelProperties
{
    private static readonly string[] FieldNames = ["latency", "tokens", "cost", "errors", "ttft"];

    [Property(MaxTest = 300)]
    public void Cells_ByBucketAndField_AreThoseAMapWouldHold(int seed)
    {
        var random = new Random(seed);
        var level = new RollupLevel(60);
        var model = new SortedDictionary<long, Dictionary<string, RollupCell>>();
        var operations = random.Next(1, 200);
        for (var op = 0; op < operations; op++)
        {
            if (random.Next(20) == 0)
            {
                // Retention: the buckets before a cutoff leave, oldest first, with their cells.
                var cutoff = random.Next(0, 40) * 60L;
                var removed = level.RemoveBefore(cutoff);
                var expected = model.Where(b => b.Key < cutoff).ToList();
                Assert.Equal(expected.Select(b => b.Key), removed.Select(r => r.Start));
                for (var i = 0; i < removed.Count; i++)
                {
                    Assert.Equal(level.Fields.Count, removed[i].Cells.Length);
                    for (var f = 0; f < level.Fields.Count; f++)
                    {
                        Assert.Same(expected[i].Value.GetValueOrDefault(level.Fields[f]), removed[i].Cells[f]);
                    }

                    model.Remove(expected[i].Key);
                }

                continue;
            }

            // Mostly the next bucket (the common append), sometimes an earlier one (an insert before others).
            var start = (random.Next(3) == 0 ? random.Next(0, 40) : model.Count == 0 ? 0 : (model.Keys.Last() / 60) + random.Next(0, 2)) * 60L;
            var field = FieldNames[random.Next(random.Next(1, FieldNames.Length + 1))];
            var fresh = RollupCell.Empty();
            var cell = level.GetOrAdd(start, field, () => fresh, out var bucketCreated);
            Assert.Equal(!model.ContainsKey(start), bucketCreated);
            var cells = model.TryGetValue(start, out var found) ? found : model[start] = [];
            Assert.Same(cells.TryGetValue(field, out var existing) ? existing : cells[field] = fresh, cell);
        }

        Assert.Equal(model.Count, level.Count);
        var b = 0;
        foreach (var (start, cells) in model)
        {
            Assert.Equal(start, level.StartAt(b));
            var read = level.CellsAt(b);
            Assert.Equal(level.Fields.Count, read.Count);
            for (var f = 0; f < level.Fields.Count; f++)
            {
                Assert.Same(cells.GetValueOrDefault(level.Fields[f]), read[f]);
            }

            b++;
        }
    }
}
