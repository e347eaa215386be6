using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.Tests.Storage;

/// <summary>
/// A tag set remembers the series a store resolved for it (<c>TagSet.SeriesHint</c>): points sharing one tag set
/// instance still reach the right store, measurement and series, and a rejected batch leaves no series behind.
/// </summary>
public sealed class SeriesHintTests
{
    private static readonly TimeRange All = new(T0.AddDays(-1), T0.AddDays(2));

    private static TimeSeriesPoint At(TagSet tags, int minute, string measurement = "llm_request") => new()
    {
        Measurement = measurement,
        Timestamp = T0.AddMinutes(minute),
        Tags = tags,
        Fields = Fields(("latency_ms", minute)),
    };

    [Fact]
    public async Task Write_OneTagSetInstanceInTwoStores_EachStoreKeepsItsOwnSeriesAndPoints()
    {
        var tags = Tags();
        using var a = new InMemoryTimeSeriesStore();
        using var b = new InMemoryTimeSeriesStore();

        Assert.Equal(1, (await a.WritePointsAsync([At(tags, 1)])).SeriesCreated);
        Assert.Equal(1, (await b.WritePointsAsync([At(tags, 2)])).SeriesCreated);
        Assert.Equal(0, (await a.WritePointsAsync([At(tags, 3)])).SeriesCreated);
        Assert.Equal(0, (await b.WritePointsAsync([At(tags, 4), At(tags, 5)])).SeriesCreated);

        Assert.Equal(1, (await a.GetCardinalityAsync("llm_request")).SeriesCount);
        Assert.Equal(1, (await b.GetCardinalityAsync("llm_request")).SeriesCount);
        Assert.Equal(2, await a.DeleteRangeAsync("llm_request", All));
        Assert.Equal(3, await b.DeleteRangeAsync("llm_request", All));
    }

    [Fact]
    public async Task Write_OneTagSetInstanceUnderTwoMeasurements_TwoSeries()
    {
        var tags = Tags();
        using var store = new InMemoryTimeSeriesStore();

        await store.WritePointsAsync([At(tags, 1, "llm_request"), At(tags, 2, "llm_tokens"), At(tags, 3, "llm_request")]);
        await store.WritePointsAsync([At(tags, 4, "llm_tokens"), At(tags, 5, "llm_tokens")]);

        Assert.Equal(1, (await store.GetCardinalityAsync("llm_request")).SeriesCount);
        Assert.Equal(1, (await store.GetCardinalityAsync("llm_tokens")).SeriesCount);
        Assert.Equal(2, await store.DeleteRangeAsync("llm_request", All));
        Assert.Equal(3, await store.DeleteRangeAsync("llm_tokens", All));
    }

    [Fact]
    public async Task Write_SecondMeasurementOfATagSet_TheHintStaysOnTheFirstSeriesAndReachesBoth()
    {
        var tags = Tags();
        using var store = new InMemoryTimeSeriesStore();
        await store.WritePointsAsync([At(tags, 1, "llm_request")]);
        var first = tags.SeriesHint;

        await store.WritePointsAsync([At(tags, 2, "llm_tokens")]);
        await store.WritePointsAsync([At(tags, 3, "llm_tokens"), At(tags, 4, "llm_request"), At(tags, 5, "llm_tokens")]);

        // The tag set's series are linked, so a point of either measurement finds its series through one hint.
        Assert.Equal(first, tags.SeriesHint);
        Assert.Equal(2, await store.DeleteRangeAsync("llm_request", All));
        Assert.Equal(3, await store.DeleteRangeAsync("llm_tokens", All));
    }

    /// <summary>
    /// A series found through a tag set's hint (the tag set's linked series, one per measurement) is the series a fresh,
    /// equal tag set finds by lookup: the same points in batches of measurements drawn at random, written once through
    /// two shared tag set instances (equal to each other) and once with a new tag set per point, store the same series and
    /// points per measurement.
    /// </summary>
    [Property(MaxTest = 60)]
    public bool Write_SharedTagSets_StoreWhatFreshTagSetsStore(int seed)
    {
        var random = new Random(seed);
        string[] measurements = ["llm_request", "llm_tokens", "llm_errors"];
        var batches = new List<List<(int Measurement, int Tags, int Instance, int Minute)>>();
        for (var b = random.Next(1, 6); b > 0; b--)
        {
            var batch = new List<(int, int, int, int)>();
            for (var n = random.Next(1, 8); n > 0; n--)
            {
                batch.Add((random.Next(measurements.Length), random.Next(2), random.Next(2), random.Next(60)));
            }

            batches.Add(batch);
        }

        // Two tag combinations, each as two equal instances the shared run reuses.
        TagSet Make(int tags) => Tags(model: tags == 0 ? "gpt-4o" : "claude");
        TagSet[][] shared = [[Make(0), Make(0)], [Make(1), Make(1)]];
        using var hinted = new InMemoryTimeSeriesStore();
        using var fresh = new InMemoryTimeSeriesStore();
        foreach (var batch in batches)
        {
            var created = hinted.WritePointsAsync([.. batch.Select(p => At(shared[p.Tags][p.Instance], p.Minute, measurements[p.Measurement]))]).AsTask().Result;
            var expected = fresh.WritePointsAsync([.. batch.Select(p => At(Make(p.Tags), p.Minute, measurements[p.Measurement]))]).AsTask().Result;
            if (created.SeriesCreated != expected.SeriesCreated || created.PointsWritten != expected.PointsWritten)
            {
                return false;
            }
        }

        foreach (var measurement in measurements)
        {
            foreach (var model in new[] { "gpt-4o", "claude" })
            {
                var filter = new Dictionary<string, string> { ["model_id"] = model };
                if (hinted.DeleteRangeAsync(measurement, All, filter).AsTask().Result != fresh.DeleteRangeAsync(measurement, All, filter).AsTask().Result)
                {
                    return false;
                }
            }
        }

        return true;
    }

    [Fact]
    public void Write_TagSetOutlivesTheStore_TheStoreIsCollected()
    {
        var tags = Tags();
        var store = WriteAndForget(tags);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(store.IsAlive);
        GC.KeepAlive(tags);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference WriteAndForget(TagSet tags)
    {
        var store = new InMemoryTimeSeriesStore();
        Assert.True(store.WritePointsAsync([At(tags, 1)]).AsTask().GetAwaiter().GetResult().IsSuccess);
        return new WeakReference(store);
    }

    [Fact]
    public async Task Write_RejectedBatchThatWouldCreateTheSeries_TheNextWriteCreatesIt()
    {
        var tags = Tags(model: "new-model");
        using var store = new InMemoryTimeSeriesStore();
        var bad = new TimeSeriesPoint { Measurement = "llm_request", Timestamp = T0, Tags = Tags(), Fields = FieldSet.Empty };

        var rejected = await store.WritePointsAsync([At(tags, 1), bad]);
        Assert.False(rejected.IsSuccess);

        var written = await store.WritePointsAsync([At(tags, 2), At(tags, 3)]);
        Assert.Equal(1, written.SeriesCreated);
        Assert.Equal(1, (await store.GetCardinalityAsync("llm_request")).SeriesCount);
        Assert.Equal(2, await store.DeleteRangeAsync("llm_request", All));
    }
}
