using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.PostgreSql.Tests;

public sealed class PostgreSqlRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AppendAsync_LateBatchThenRetention_CreatesTheMissingPartitionThenDropsWholeExpiredDays()
    {
        var clock = new FakeTimeProvider(Now);
        await using var fixture = new PostgreSqlStoreFixture();
        var store = await fixture.CreateAsync(o => o.PartitionRetention = TimeSpan.FromDays(3), clock);
        var young = RandomEvents.Event(new Random(1), Now.AddDays(-1));
        var old = RandomEvents.Event(new Random(2), new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        await store.AppendAsync([young]);

        // A week-late event: its partition does not exist and is created inside the batch's transaction.
        var late = await store.AppendAsync([old]);
        var before = await PartitionsAsync(fixture.Schema);
        clock.Advance(TimeSpan.FromHours(2));
        await store.AppendAsync([RandomEvents.Event(new Random(3), Now)]);

        Assert.Equal(1, late.Appended);
        Assert.Contains("events_p20261120", before);
        Assert.DoesNotContain("events_p20261120", await PartitionsAsync(fixture.Schema));
        Assert.Contains("events_p20261126", await PartitionsAsync(fixture.Schema));
        Assert.Null(await store.GetAsync(old.EventId));
        Assert.NotNull(await store.GetAsync(young.EventId));
        Assert.Equal(2ul, await store.CountAsync(new EventQuery()));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".event_ids WHERE event_id = '{old.EventId}'"));
    }

    private static async Task<string> PartitionsAsync(string schema) => await TestDatabase.ScalarAsync<string>(
        $"SELECT coalesce(string_agg(c.relname, ',' ORDER BY c.relname), '') FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '\"{schema}\".events'::regclass");
}
