using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;

namespace AnalyticsHub.Tests.Storage;

/// <summary>The paging rules shared by every event store, driven by hand as a backend would.</summary>
public class EventPageCollectorTests
{
    private static AnalyticsEvent Event(int i) => RandomEvents.Event(new Random(i), RandomEvents.Base.AddMinutes(i));

    [Fact]
    public void Offer_OffsetPage_SkipsEarlierPagesAndReadsOneExtraForHasMore()
    {
        var page = EventPageCollector.Start(new EventQuery { Page = 2, PerPage = 3, Order = SortOrder.Asc });
        var offered = 0;
        for (var i = 1; i <= 10 && page.Offer(i, (ulong)i, Event(i)); i++)
        {
            offered++;
        }

        var result = page.ToPage(10, 10, TimeSpan.Zero);

        Assert.Equal(6, offered);
        Assert.Equal(3, result.Events.Count);
        Assert.True(result.HasMore);
        Assert.Equal(10UL, result.TotalItems);
        Assert.Equal(Event(4).EventId, result.Events[0].EventId);
    }

    [Fact]
    public void Offer_KeysAtOrBeforeTheCursor_AreIgnored()
    {
        var query = new EventQuery { PerPage = 2, Order = SortOrder.Asc };
        var first = EventPageCollector.Start(query);
        for (var i = 1; first.Offer(i, (ulong)i, Event(i)); i++)
        {
        }

        var cursor = first.ToPage(5, 3, TimeSpan.Zero).NextCursor;
        var second = EventPageCollector.Start(query with { Cursor = cursor });
        for (var i = 1; i <= 5 && second.Offer(i, (ulong)i, Event(i)); i++)
        {
        }

        var page = second.ToPage(5, 5, TimeSpan.Zero);
        Assert.True(second.HasCursor);
        Assert.Equal([Event(3).EventId, Event(4).EventId], page.Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task ToPage_PartialLastPage_CursorContinuesAfterItsLastEvent()
    {
        using var store = new InMemoryEventStore(timeProvider: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(SampleEvents.Now));
        await store.AppendAsync([Event(1), Event(2), Event(3)]);
        var query = new EventQuery { PerPage = 5, Order = SortOrder.Asc };

        var page = await store.QueryAsync(query);
        Assert.False(page.HasMore);
        await store.AppendAsync([Event(4)]);
        var next = await store.QueryAsync(query with { Cursor = page.NextCursor });

        Assert.Equal([Event(4).EventId], next.Events.Select(e => e.EventId));
    }

    [Fact]
    public void Start_CursorOfAnotherQuery_ThrowsInvalidCursor()
    {
        var page = EventPageCollector.Start(new EventQuery { PerPage = 1 });
        page.Offer(1, 1, Event(1));
        page.Offer(2, 2, Event(2));
        var cursor = page.ToPage(2, 2, TimeSpan.Zero).NextCursor;

        var error = Assert.Throws<InvalidQueryException>(() => EventPageCollector.Start(new EventQuery { PerPage = 1, Order = SortOrder.Asc, Cursor = cursor }));

        Assert.Equal(ProblemCodes.InvalidCursor, Assert.Single(error.Problems).Code);
        Assert.Equal("cursor", error.Problems[0].Path);
    }
}
