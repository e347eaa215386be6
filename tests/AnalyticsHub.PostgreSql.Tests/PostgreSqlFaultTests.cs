using System.Diagnostics;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>Faults on the real server that leave the server running: a killed connection, hostile strings.</summary>
public sealed class PostgreSqlFaultTests
{
    [Fact]
    public async Task AppendAsync_ConnectionKilledMidBatch_StoresNothingAndTheRetryStoresEachEventOnce()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var store = await fixture.CreateAsync();
        var events = RandomEvents.Events(new Random(1), 200);

        // Hold the sequence counter so the batch stops mid-transaction (its partitions created, nothing probed or
        // copied), then kill it.
        var append = await KillWhileBlockedAsync(
            $"SELECT last_sequence FROM \"{fixture.Schema}\".sequence_counter FOR UPDATE",
            $"\"{fixture.Schema}\".sequence_counter FOR UPDATE",
            () => store.AppendAsync(events).AsTask());

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => append);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".events"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".event_ids"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>($"SELECT last_sequence FROM \"{fixture.Schema}\".sequence_counter"));

        var retry = await store.AppendAsync(events);
        var again = await store.AppendAsync(events);

        Assert.Equal(200, retry.Appended);
        Assert.Equal(1ul, retry.FirstSequence);
        Assert.Equal(200, again.Duplicates);
        Assert.Equal(200ul, await store.CountAsync(new EventQuery()));
    }

    [Fact]
    public async Task AppendAsync_ConnectionKilledBetweenItsTwoCopies_StoresNoIdAndTheRetryStoresEachEventOnce()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var store = await fixture.CreateAsync();
        var day = RandomEvents.Base;
        var first = RandomEvents.Event(new Random(1), day);
        await store.AppendAsync([first]);
        var events = RandomEvents.Events(new Random(2), 200).Select((e, i) => e with { Common = e.Common with { Timestamp = day.AddMilliseconds(i) } }).ToList();

        // The day's partition exists now, so the batch takes no lock on events until its COPY into it: holding a SHARE
        // lock on the table stops the batch after its ids were copied into event_ids and before its events are.
        var append = await KillWhileBlockedAsync(
            $"LOCK TABLE \"{fixture.Schema}\".events IN SHARE MODE",
            $"COPY \"{fixture.Schema}\".events (%",
            () => store.AppendAsync(events).AsTask());

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => append);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".events"));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".event_ids"));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT last_sequence FROM \"{fixture.Schema}\".sequence_counter"));

        var retry = await store.AppendAsync(events);
        var again = await store.AppendAsync(events);

        Assert.Equal(200, retry.Appended);
        Assert.Equal(2ul, retry.FirstSequence);
        Assert.Equal(200, again.Duplicates);
        Assert.Equal(201ul, await store.CountAsync(new EventQuery()));
        Assert.Equal(events[^1].EventId, (await store.GetAsync(events[^1].EventId))!.EventId);
    }

    /// <summary>
    /// Runs <paramref name="blockingSql"/> in a transaction of its own, starts <paramref name="start"/>, waits until a
    /// backend whose query matches <paramref name="victimQueryLike"/> waits for a lock, terminates it and releases the
    /// blocker; returns the started operation (failed by then or about to fail).
    /// </summary>
    private static async Task<Task> KillWhileBlockedAsync(string blockingSql, string victimQueryLike, Func<Task> start)
    {
        await using var blocker = await TestDatabase.DataSource.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var block = new NpgsqlCommand(blockingSql, blocker, hold))
        {
            await block.ExecuteNonQueryAsync();
        }

        var operation = start();
        var victim = 0;
        var stopwatch = Stopwatch.StartNew();
        while (victim == 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            // Not on the blocker's connection: pg_stat_activity is one snapshot per transaction.
            await using var find = new NpgsqlCommand("SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1", await TestDatabase.DataSource.OpenConnectionAsync());
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "%" + victimQueryLike + "%" });
            victim = (int)(await find.ExecuteScalarAsync())!;
            await find.Connection!.DisposeAsync();
        }

        Assert.NotEqual(0, victim);
        await using (var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({victim})", blocker, hold))
        {
            await kill.ExecuteScalarAsync();
        }

        await operation.ContinueWith(_ => { }, TaskScheduler.Default);
        await hold.RollbackAsync();
        return operation;
    }

    [Fact]
    public async Task AppendAsync_HostileStrings_StoredAndReadBackByteIdenticalThroughParametersOnly()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var store = await fixture.CreateAsync();
        string[] hostile =
        [
            "'; DROP TABLE events; --",
            "$$ || pg_sleep(10) || $$",
            "$tag$ \" \\ \\\\ ' '' \\x00",
            "\u0000\u0001\u0002\u001b[31m\u007f\u0085\u2028\u2029\ufeff",
            "\ud83d\ude00 e\u0301 \u202e",
            new string('x', 1 << 20),
        ];
        var events = hostile.Select((text, i) =>
        {
            var json = System.Text.Json.JsonSerializer.Serialize(text, System.Text.Json.JsonSerializerOptions.Default);
            var read = AnalyticsEventJson.Read($$"""
                {"event_id":"{{Guid.NewGuid()}}","timestamp":"2026-11-27T11:59:00Z","source_module":"llm-sentinel","event_type":"audit",
                 "severity":"error","environment":{{json}},"tags":{"k{{i}}":{{json}}},
                 "payload":{"payload_type":"custom","data":{"custom_type":{{json}},"data":{"text":{{json}}} } } }
                """);
            Assert.True(read.Succeeded, string.Join("; ", read.Problems.Select(p => p.Message)));
            return read.Event!;
        }).ToList();

        var result = await store.AppendAsync(events);

        Assert.Equal(events.Count, result.Appended);
        for (var i = 0; i < events.Count; i++)
        {
            var back = await store.GetAsync(events[i].EventId);
            Assert.Equal(AnalyticsEventJson.SerializeToUtf8Bytes(events[i]), AnalyticsEventJson.SerializeToUtf8Bytes(back!));
            Assert.Equal(hostile[i], back!.Common.Environment);
            var page = await store.QueryAsync(new EventQuery { Environment = hostile[i], Subtype = hostile[i], Tags = new Dictionary<string, string> { ["k" + i] = hostile[i] } });
            Assert.Equal([events[i].EventId], page.Events.Select(e => e.EventId));
        }

        Assert.True(await TestDatabase.ScalarAsync<bool>($"SELECT to_regclass('\"{fixture.Schema}\".events') IS NOT NULL"));
    }
}

/// <summary>Tests that restart the shared server: alone, after every parallel test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerRestartCollection
{
    public const string Name = "PostgreSQL server restarts";
}

[Collection(ServerRestartCollection.Name)]
public sealed class PostgreSqlRestartTests
{
    [Fact]
    public async Task Hub_ServerRestartedUnderLoad_ReconnectsAndStoresAndCountsEveryEventOnce()
    {
        var data = Environment.GetEnvironmentVariable(TestDatabase.DataDirectoryVariable)
            ?? throw new InvalidOperationException($"The restart test needs {TestDatabase.DataDirectoryVariable} (the server's data directory) and {TestDatabase.BinDirectoryVariable}; .ci/postgres exports both.");
        var bin = Environment.GetEnvironmentVariable(TestDatabase.BinDirectoryVariable)
            ?? throw new InvalidOperationException($"The restart test needs {TestDatabase.BinDirectoryVariable}.");
        var schema = TestDatabase.NewSchema();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // Retries that outlast a restart (the defaults give up after about half a second).
        builder.Services.AddAnalyticsHub(o =>
            {
                o.Ingestion.MaxRetryTime = TimeSpan.FromSeconds(60);
                o.Ingestion.MaxRetries = 30;
                o.Ingestion.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
                o.Ingestion.RetryMaxDelay = TimeSpan.FromSeconds(1);
            })
            .UsePostgreSql(TestDatabase.ConnectionString, o => o.Schema = schema);
        using var host = builder.Build();
        await host.StartAsync();
        var hub = host.Services.GetRequiredService<IAnalyticsHub>();
        var now = DateTimeOffset.UtcNow;
        var batches = Enumerable.Range(0, 60)
            .Select(i => RandomEvents.Events(new Random(i), 50).Select(e => e with { Common = e.Common with { Timestamp = now.AddSeconds(-i) } }).ToList())
            .ToList();

        var results = new List<IngestResult>();
        for (var i = 0; i < batches.Count; i++)
        {
            results.Add(await hub.IngestAsync(batches[i]));
            if (i == 20)
            {
                Restart(bin, data);
            }
            else
            {
                await Task.Delay(10);
            }
        }

        await hub.FlushAsync().WaitAsync(TimeSpan.FromSeconds(90));
        var items = (await Task.WhenAll(results.Select(r => r.Completion))).SelectMany(x => x).ToList();
        var store = host.Services.GetRequiredService<IEventStore>();
        var ids = batches.SelectMany(b => b).Select(e => e.EventId).ToList();
        Assert.All(items, item => Assert.Equal(EventItemStatus.Stored, item.Status));
        var statistics = hub.Statistics;
        Assert.Equal(0, statistics.Failed);
        Assert.Equal(0, statistics.InFlight);
        Assert.InRange(statistics.Stored, 3000, statistics.Accepted);
        foreach (var id in ids)
        {
            Assert.NotNull(await store.GetAsync(id));
        }

        Assert.Equal(3000L, await TestDatabase.ScalarAsync<long>(
            $"SELECT count(*) FROM \"{schema}\".events WHERE event_id = ANY('{{{string.Join(',', ids)}}}'::uuid[])"));
        await host.StopAsync();
        TestDatabase.DropSchema(schema);
    }

    private static void Restart(string bin, string data)
    {
        var log = Path.Combine(Path.GetDirectoryName(data)!, "server.log");
        using var process = Process.Start(new ProcessStartInfo("runuser", ["-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60", "restart"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        TestDatabase.DataSource.Clear();
    }
}
