using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.Tests.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.TimeSeries;

/// <summary>
/// The column-shaped points hand-off (<see cref="PointColumns"/>) holds exactly the points it was built from: row for
/// point (measurement, timestamp, tags, fields in order), each row in exactly one series, a series' rows in the order
/// added, one series per distinct measurement and tag set (equal tag sets group even when they are different objects);
/// and the extractor's columns of a batch are row for row the points it extracts one event at a time.
/// </summary>
public sealed class PointColumnsProperties
{
    private static void AssertSamePoint(TimeSeriesPoint expected, PointColumns columns, int row)
    {
        var series = columns.SeriesOf(row);
        Assert.Equal(expected.Measurement, columns.Measurement(series));
        Assert.Equal(expected.Tags, columns.Tags(series));
        Assert.Equal(expected.Timestamp.UtcTicks, columns.Timestamp(row).UtcTicks);
        Assert.Equal(TimeSpan.Zero, columns.Timestamp(row).Offset);
        Assert.Equal(expected.Fields.Keys, columns.FieldNames(row).ToArray());
        Assert.Equal(expected.Fields.Values, columns.FieldValues(row).ToArray());
        var point = columns.ToPoint(row);
        Assert.Equal(expected.Fields.ToArray(), point.Fields.ToArray());
    }

    private static void AssertGrouped(PointColumns columns)
    {
        var seen = new bool[columns.Count];
        var identities = new HashSet<(string, TagSet)>();
        for (var series = 0; series < columns.SeriesCount; series++)
        {
            Assert.True(identities.Add((columns.Measurement(series), columns.Tags(series))), "two series with one identity");
            var rows = columns.Rows(series).ToArray();
            Assert.NotEmpty(rows);
            Assert.Equal(rows.Order(), rows);
            foreach (var row in rows)
            {
                Assert.False(seen[row]);
                seen[row] = true;
                Assert.Equal(series, columns.SeriesOf(row));
            }
        }

        Assert.All(seen, Assert.True);
    }

    [Property(MaxTest = 60)]
    public void From_AnyBatch_RowForPointGroupedBySeries(int seed)
    {
        // Batches of interleaved series, tag sets shared or equal copies, out-of-order times, fields of every kind.
        foreach (var batch in SeriesRunWriteTests.RandomBatches(new Random(seed)))
        {
            var columns = PointColumns.From(batch);

            Assert.Equal(batch.Length, columns.Count);
            for (var row = 0; row < batch.Length; row++)
            {
                AssertSamePoint(batch[row], columns, row);
            }

            AssertGrouped(columns);
            Assert.Equal(batch.Select(p => (p.Measurement, p.Tags)).Distinct().Count(), columns.SeriesCount);
        }
    }

    [Property(MaxTest = 40)]
    public void ExtractAll_AnyEvents_RowsAreTheEventsPointsGroupedBySeries(int seed)
    {
        var random = new Random(seed);
        var payloads = SampleEvents.AllPayloads().ToArray();
        var events = new AnalyticsEvent[random.Next(1, 300)];
        for (var i = 0; i < events.Length; i++)
        {
            var evt = SampleEvents.Event(payloads[random.Next(payloads.Length)]);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (random.Next(2) == 0)
            {
                tags["tenant"] = "t" + random.Next(3);
            }

            if (random.Next(3) == 0)
            {
                tags["region"] = "r" + random.Next(2);
            }

            events[i] = evt with
            {
                Common = evt.Common with
                {
                    Tags = tags,
                    Environment = random.Next(4) == 0 ? "staging" : "production",
                    Timestamp = SampleEvents.Now.AddSeconds(random.Next(-3_600, 3_600)).ToOffset(TimeSpan.FromHours(random.Next(-3, 4))),
                },
            };
        }

        var columns = new PointColumns(random.Next(1, 4));
        PointExtractor.ExtractAll(events, columns);
        columns.Complete();

        Assert.Equal(events.Length, columns.Count);
        for (var row = 0; row < events.Length; row++)
        {
            AssertSamePoint(PointExtractor.Extract(events[row]), columns, row);
        }

        AssertGrouped(columns);
    }

    [Fact]
    public async Task WriteColumnsAsync_BadRow_RejectsAllNamingTheRow()
    {
        var store = new InMemoryTimeSeriesStore();
        var good = TimeSeriesTestData.Point(TimeSeriesTestData.T0, 120);
        var columns = PointColumns.From([good, good with { Fields = FieldSet.Empty }, good]);

        var result = await store.WriteColumnsAsync(columns);

        Assert.False(result.IsSuccess);
        Assert.Equal("points[1].fields", Assert.Single(result.Errors).Path);
        Assert.Empty(await store.DescribeSeriesAsync());
    }

    [Property(MaxTest = 40)]
    public void Pooled_ReusedForAnyBatches_HoldsExactlyEachBatchsRows(int seed)
    {
        // One instance lent again and again (its arrays and segments reused), batches small and large, rows without
        // values, with a few or with more values than a segment holds: each build reads exactly its own points, nothing
        // of the batch before, and a handed-back instance reads as empty.
        var random = new Random(seed);
        var pool = new PointColumnsPool();
        PointColumns? previous = null;
        var all = SeriesRunWriteTests.RandomBatches(random).Concat(SeriesRunWriteTests.RandomBatches(random)).ToList();
        foreach (var batch in all.Select(b => Widen(b, random)))
        {
            var columns = pool.Rent(random.Next(1, 2 * batch.Length));
            if (previous is not null)
            {
                Assert.Same(previous, columns);
            }

            foreach (var point in batch)
            {
                columns.Add(point);
            }

            columns.Complete();

            Assert.Equal(batch.Length, columns.Count);
            for (var row = 0; row < batch.Length; row++)
            {
                AssertSamePoint(batch[row], columns, row);
            }

            AssertGrouped(columns);
            Assert.Equal(batch.Select(p => (p.Measurement, p.Tags)).Distinct().Count(), columns.SeriesCount);
            Assert.Throws<ArgumentOutOfRangeException>(() => columns.Rows(columns.SeriesCount).Length);

            columns.Release();
            Assert.Equal(0, columns.Count);
            Assert.Equal(0, columns.SeriesCount);
            Assert.Throws<ArgumentOutOfRangeException>(() => columns.FieldValues(0).Length);
            previous = columns;
        }
    }

    [Fact]
    public void Pooled_GrownPastALargeBatch_IsNotKept()
    {
        var pool = new PointColumnsPool();
        var point = TimeSeriesTestData.Point(TimeSeriesTestData.T0, 120);
        var large = pool.Rent(20_000);
        for (var i = 0; i < 20_000; i++)
        {
            large.Add(point);
        }

        large.Complete().Release();

        Assert.NotSame(large, pool.Rent(10));
    }

    /// <summary>The batch with some rows' fields replaced: none, a dozen, or more than one value segment holds (4,096).</summary>
    private static TimeSeriesPoint[] Widen(TimeSeriesPoint[] batch, Random random) =>
        [.. batch.Select(point => random.Next(12) switch
        {
            0 => point with { Fields = FieldSet.Empty },
            1 => point with { Fields = Wide(random.Next(2, 13), random) },
            2 when random.Next(20) == 0 => point with { Fields = Wide(4_100, random) },
            _ => point,
        })];

    private static FieldSet Wide(int count, Random random) =>
        new(Enumerable.Range(0, count).Select(i => new KeyValuePair<string, FieldValue>(
            "f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            random.Next(3) == 0 ? FieldValue.FromString("s" + random.Next(1_000)) : FieldValue.FromInt64(random.Next()))));

    [Fact]
    public void From_PointWithoutTags_Throws()
    {
        var point = TimeSeriesTestData.Point(TimeSeriesTestData.T0, 120) with { Tags = null! };

        Assert.Throws<ArgumentException>(() => PointColumns.From([point]));
    }
}
