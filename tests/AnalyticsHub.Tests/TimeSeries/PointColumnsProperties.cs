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

    [Fact]
    public void From_PointWithoutTags_Throws()
    {
        var point = TimeSeriesTestData.Point(TimeSeriesTestData.T0, 120) with { Tags = null! };

        Assert.Throws<ArgumentException>(() => PointColumns.From([point]));
    }
}
