using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Storage;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>
/// The append path on the real server: a batch is first copied without probing <c>event_ids</c>; a stored id fails that
/// attempt on the primary key, and the batch is written again after a probe. Neither path may leave a gap or a partial
/// batch.
/// </summary>
public sealed class PostgreSqlAppendTests
{
    [Fact]
    public async Task AppendAsync_BatchHoldingStoredIds_StoresOnlyTheNewWithConsecutiveSequences()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var store = await fixture.CreateAsync();
        var stored = RandomEvents.Events(new Random(1), 3);
        await store.AppendAsync(stored);
        var fresh = RandomEvents.Events(new Random(2), 3);

        // The stored id sits between new ones: the copy without a probe stops on it after copying the first.
        var result = await store.AppendAsync([fresh[0], stored[1], fresh[1], stored[2], fresh[2]]);

        Assert.Equal((5, 3, 2, 0), (result.Count, result.Appended, result.Duplicates, result.Recovered));
        Assert.Equal(4ul, result.FirstSequence);
        Assert.Equal(
            [AppendItemStatus.Appended, AppendItemStatus.Duplicate, AppendItemStatus.Appended, AppendItemStatus.Duplicate, AppendItemStatus.Appended],
            Enumerable.Range(0, 5).Select(i => result[i]));
        Assert.Equal(6L, await TestDatabase.ScalarAsync<long>($"SELECT last_sequence FROM \"{fixture.Schema}\".sequence_counter"));
        Assert.Equal("1,2,3,4,5,6", await TestDatabase.ScalarAsync<string>($"SELECT string_agg(seq::text, ',' ORDER BY seq) FROM \"{fixture.Schema}\".events"));
        Assert.Equal("1,2,3,4,5,6", await TestDatabase.ScalarAsync<string>($"SELECT string_agg(seq::text, ',' ORDER BY seq) FROM \"{fixture.Schema}\".event_ids"));
        foreach (var e in fresh)
        {
            Assert.Equal(AnalyticsEventJson.SerializeToUtf8Bytes(e), AnalyticsEventJson.SerializeToUtf8Bytes((await store.GetAsync(e.EventId))!));
        }
    }

    [Fact]
    public async Task AppendAsync_TwoHostsAppendingOverlappingBatchesAtOnce_StoreEachEventOnceWithoutGaps()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var hosts = new[] { await fixture.CreateAsync(), await fixture.CreateAsync() };
        var events = RandomEvents.Events(new Random(3), 400);

        // Eight writers, each sending 100 events, every event sent by two writers on different hosts.
        var writes = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var start = (w / 2 * 100) + (w % 2 * 50);
            var batch = Enumerable.Range(start, 100).Select(i => events[i % events.Count]).ToList();
            return await hosts[w % 2].AppendAsync(batch);
        })).ToArray();
        var results = await Task.WhenAll(writes);

        Assert.Equal(400, results.Sum(r => r.Appended));
        Assert.Equal(400, results.Sum(r => r.Duplicates));
        Assert.Equal(400ul, await hosts[0].CountAsync(new EventQuery()));
        Assert.Equal(400L, await TestDatabase.ScalarAsync<long>($"SELECT count(DISTINCT seq) FROM \"{fixture.Schema}\".events WHERE seq BETWEEN 1 AND 400"));
        Assert.Equal(400L, await TestDatabase.ScalarAsync<long>($"SELECT last_sequence FROM \"{fixture.Schema}\".sequence_counter"));
        foreach (var e in events)
        {
            Assert.Equal(e.EventId, (await hosts[1].GetAsync(e.EventId))?.EventId);
        }
    }

    [Fact]
    public async Task GuidSort_RandomIds_EqualsTheServersUuidOrder()
    {
        // The append copies event_ids in Array.Sort order so the primary key's leaves are walked left to right; that
        // only holds if .NET's Guid order is PostgreSQL's uuid order (the canonical text's bytes from the left).
        var random = new Random(7);
        var ids = Enumerable.Range(0, 2_000).Select(_ =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }).ToArray();

        await using var command = TestDatabase.DataSource.CreateCommand("SELECT array_agg(u ORDER BY u) FROM unnest($1) AS u");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<Guid[]> { TypedValue = ids });
        var serverOrder = (Guid[])(await command.ExecuteScalarAsync())!;
        Array.Sort(ids);

        Assert.Equal(serverOrder, ids);
    }
}
