using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Evaluation.Hosting;
using AnalyticsHub.Events;
using AnalyticsHub.PostgreSql;
using AnalyticsHub.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.Evaluation.PostgreSql;

/// <summary>
/// <c>pg-ingest [events] [days] [copy-sample] [ids]</c>: the PostgreSQL adapter's harness. Loads <c>events</c> (10,000,000 by
/// default) of the pinned mix spread over <c>days</c> (7) through <see cref="PostgreSqlEventStore.AppendAsync(IReadOnlyList{AnalyticsEvent}, Guid, CancellationToken)"/> in
/// batches of 5,000 into a fresh schema; in the same run copies the first <c>copy-sample</c> events (1,000,000) with plain
/// binary COPY into an unindexed table of the same columns and appends them to a second fresh schema, for the ingest
/// ratio (and the indexed/unindexed split; a <c>copy-sample</c> of 0 skips it, for the 10 M-event seed query run alone); then times the seed query (one module, last hour, severity &gt;= warning (the mix's events get 85% info, 10% warning, 4% error, 1% critical), first
/// page of 100 with its total) and reports bytes per event. Checks as it goes: every event appended once, the seed
/// query's total equal to a count of the generated events, a second append of a batch all duplicates.
/// </summary>
/// <remarks>
/// The server comes from <c>ANALYTICSHUB_POSTGRES_TEST</c> (an Npgsql connection string). 10 M events take about 10 GB
/// of disk. Timings mean something only on a quiet machine; a small run (<c>pg-ingest 20000 1 5000</c>) checks correctness.
/// The schemas are left in place for inspection and named in the output.
/// </remarks>
internal static class PostgreSqlIngestCommand
{
    private const int BatchSize = 5_000;

    public static async Task<int> RunAsync(string[] args)
    {
        if (await PostgreSqlHarness.ConnectionStringAsync("pg-ingest").ConfigureAwait(false) is not { } connectionString)
        {
            return 2;
        }

        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        var days = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        var sample = Math.Min(count, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000);
        var ids = args.Length > 3 ? args[3] : "random";
        if (ids is not ("random" or "ascending"))
        {
            await Console.Error.WriteLineAsync($"pg-ingest: ids must be random (v4-shaped, as the wire format generates them) or ascending, not '{ids}'").ConfigureAwait(false);
            return 2;
        }

        var ascendingIds = ids == "ascending";
        var end = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var spacing = TimeSpan.FromDays(days) / count;
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        // 1. Ingest ratio on the sample: plain COPY into an unindexed table vs the store, same rows, same run.
        if (sample > 0)
        {
            await CompareWithPlainCopyAsync(dataSource, stamp, sample, end, spacing, count, ascendingIds).ConfigureAwait(false);
        }

        // 2. The full load.
        var schema = "eval_" + stamp;
        await using var store = new PostgreSqlEventStore(dataSource, new PostgreSqlOptions { Schema = schema });
        await store.InitializeAsync().ConfigureAwait(false);
        var loadStarted = Stopwatch.GetTimestamp();
        long appended = 0;
        ulong seedExpected = 0;
        var seedQuery = new EventQuery
        {
            SourceModules = [SourceModule.LlmObservatory],
            From = end.AddHours(-1),
            MinSeverity = Severity.Warning,
            PerPage = 100,
        };
        for (var from = 0; from < count; from += BatchSize)
        {
            var batch = Batch(from, Math.Min(BatchSize, count - from), end, spacing, count, ascendingIds);
            var result = await store.AppendAsync(batch).ConfigureAwait(false);
            appended += result.Appended;
            seedExpected += (ulong)batch.Count(e => e.SourceModule == SourceModule.LlmObservatory && e.Severity >= Severity.Warning && e.Timestamp >= seedQuery.From);
            if (from == 0 && (await store.AppendAsync(batch).ConfigureAwait(false)).Duplicates != batch.Length)
            {
                await Console.Error.WriteLineAsync("FAIL: a repeated batch was not all duplicates").ConfigureAwait(false);
                return 1;
            }
        }

        var load = Stopwatch.GetElapsedTime(loadStarted);
        Console.WriteLine($"load: {count:N0} events over {days} days into schema {schema} in {load.TotalSeconds:N1} s = {count / load.TotalSeconds:N0} events/s");

        // 3. The seed query, 21 runs, the first one cold: right after the load, when the newest pages are not yet marked
        // all-visible (counting their matches reads the heap), then after VACUUM ANALYZE (what autovacuum does to
        // inserted pages in steady state: the count becomes an index-only scan).
        var page = await TimeSeedQueryAsync(store, seedQuery, "seed query").ConfigureAwait(false);
        await PostgreSqlHarness.ExecuteAsync(dataSource, $"VACUUM ANALYZE {schema}.events").ConfigureAwait(false);
        await TimeSeedQueryAsync(store, seedQuery, "seed query after VACUUM ANALYZE").ConfigureAwait(false);

        var bytes = await PostgreSqlHarness.ScalarAsync<long>(dataSource, $"SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'p')").ConfigureAwait(false);
        Console.WriteLine($"size: {bytes:N0} B with indexes and event_ids = {(double)bytes / count:N0} B/event");

        var stored = await store.CountAsync(new EventQuery()).ConfigureAwait(false);
        var ok = appended == count && stored == (ulong)count && page.TotalItems == seedExpected;
        Console.WriteLine(ok
            ? $"check: {count:N0} appended once, count {stored:N0}, seed total {page.TotalItems:N0} = generated {seedExpected:N0}"
            : $"FAIL: appended {appended:N0}, counted {stored:N0}, seed total {page.TotalItems:N0} vs generated {seedExpected:N0}");
        return ok ? 0 : 1;
    }

    private static async Task CompareWithPlainCopyAsync(NpgsqlDataSource dataSource, string stamp, int sample, DateTimeOffset end, TimeSpan spacing, int count, bool ascendingIds)
    {
        var plainTable = "eval_plain_" + stamp;
        var ratioSchema = "eval_ratio_" + stamp;
        await PostgreSqlHarness.ExecuteAsync(dataSource, $"CREATE TABLE {plainTable} (ticks bigint, seq bigint, arrival_ticks bigint, event_id uuid, source_module smallint, event_type smallint, severity smallint, payload_type smallint, correlation_id uuid, parent_event_id uuid, environment bytea, subtype bytea, tags bytea[], body bytea)").ConfigureAwait(false);
        var indexedTable = "eval_indexed_" + stamp;
        var copyTime = TimeSpan.Zero;
        var indexedTime = TimeSpan.Zero;
        var storeTime = TimeSpan.Zero;
        await using (var ratioStore = new PostgreSqlEventStore(dataSource, new PostgreSqlOptions { Schema = ratioSchema }))
        {
            await ratioStore.InitializeAsync().ConfigureAwait(false);

            // The split: the same plain COPY into an (unpartitioned) table carrying the store's indexes on events, so the
            // gap divides into what the indexes cost and what the store adds (event_ids, the counter, partition routing).
            await PostgreSqlHarness.ExecuteAsync(dataSource, $"CREATE TABLE {indexedTable} (LIKE {ratioSchema}.events INCLUDING INDEXES)").ConfigureAwait(false);
            for (var from = 0; from < sample; from += BatchSize)
            {
                var batch = Batch(from, Math.Min(BatchSize, sample - from), end, spacing, count, ascendingIds);
                copyTime += await PlainCopyAsync(dataSource, plainTable, batch).ConfigureAwait(false);
                indexedTime += await PlainCopyAsync(dataSource, indexedTable, batch).ConfigureAwait(false);
                var started = Stopwatch.GetTimestamp();
                await ratioStore.AppendAsync(batch).ConfigureAwait(false);
                storeTime += Stopwatch.GetElapsedTime(started);
            }
        }

        Console.WriteLine($"ingest on {sample:N0} events (batches of {BatchSize:N0}); the plain COPYs get their bodies encoded outside the timer, the store encodes its own:");
        Console.WriteLine($"  plain binary COPY, unindexed table: {copyTime.TotalSeconds:N2} s = {sample / copyTime.TotalSeconds:N0} events/s");
        Console.WriteLine($"  plain binary COPY, the store's indexes on events (no event_ids, no partitions): {indexedTime.TotalSeconds:N2} s = {sample / indexedTime.TotalSeconds:N0} events/s = {copyTime / indexedTime:N3}x unindexed");
        Console.WriteLine($"  store (COPY into event_ids, its primary key refusing stored ids, then into the partitioned events: 2 btree + 2 partial + BRIN indexes): {storeTime.TotalSeconds:N2} s = {sample / storeTime.TotalSeconds:N0} events/s");
        Console.WriteLine($"ingest ratio: store/plain throughput {copyTime / storeTime:N3}x (target >= 0.5x); store/indexed plain {indexedTime / storeTime:N3}x");
    }

    /// <summary>
    /// Events <paramref name="from"/>.. of the pinned mix, re-timed evenly over the run's span and given unique ids:
    /// random-looking version-4 UUIDs (a seeded hash of the index, as spread as the <c>Uuid::new_v4</c> the wire format
    /// generates), or with <paramref name="ascendingIds"/> the index itself, which keeps every insert into the primary key
    /// of <c>event_ids</c> on its rightmost page (the ids of the runs before the ids argument existed).
    /// </summary>
    private static AnalyticsEvent[] Batch(int from, int size, DateTimeOffset end, TimeSpan spacing, int count, bool ascendingIds)
    {
        var events = PinnedMixWorkload.Create(size, end, seed: from);
        for (var i = 0; i < size; i++)
        {
            var index = from + i;
            var id = new byte[16];
            if (ascendingIds)
            {
                BitConverter.TryWriteBytes(id, (long)index);
                id[15] = 0x42;
            }
            else
            {
                BitConverter.TryWriteBytes(id, SplitMix((ulong)index));
                BitConverter.TryWriteBytes(id.AsSpan(8), SplitMix((ulong)index ^ 0x9E3779B97F4A7C15));
                id[7] = (byte)((id[7] & 0x0F) | 0x40); // version 4 (the high nibble of the Guid's third group)
                id[8] = (byte)((id[8] & 0x3F) | 0x80); // RFC 4122 variant
            }

            events[i] = events[i] with
            {
                Common = events[i].Common with { EventId = new Guid(id), Timestamp = end - (spacing * (count - index)), Severity = SeverityOf(index) },
            };
        }

        return events;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }

    /// <summary>Runs the seed query 21 times (the first cold) and prints the first, median and maximum time.</summary>
    private static async Task<EventPage> TimeSeedQueryAsync(PostgreSqlEventStore store, EventQuery seedQuery, string label)
    {
        var times = new List<double>();
        EventPage? page = null;
        for (var run = 0; run < 21; run++)
        {
            var started = Stopwatch.GetTimestamp();
            page = await store.QueryAsync(seedQuery).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var warm = times.Skip(1).Order().ToList();
        Console.WriteLine($"{label}: first {times[0]:N2} ms, median {warm[warm.Count / 2]:N2} ms, max {warm[^1]:N2} ms; {page!.Events.Count} events of {page.TotalItems:N0}");
        return page;
    }

    /// <summary>The pinned mix is all <c>info</c>; the seed query needs some worse: 85% info, 10% warning, 4% error, 1% critical, seeded by index.</summary>
    private static Severity SeverityOf(int index) => (((uint)index * 2654435761u >> 8) % 100u) switch
    {
        < 85 => Severity.Info,
        < 95 => Severity.Warning,
        < 99 => Severity.Error,
        _ => Severity.Critical,
    };

    private static async Task<TimeSpan> PlainCopyAsync(NpgsqlDataSource dataSource, string table, AnalyticsEvent[] batch)
    {
        // The same columns and encodings the store writes, so the ratio isolates the duplicate probe, event_ids and the indexes.
        var rows = batch.Select(e => (e, Body: AnalyticsEventJson.SerializeToUtf8Bytes(e))).ToList();
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
        var sequence = 0L;
        foreach (var (e, body) in rows)
        {
            await importer.StartRowAsync().ConfigureAwait(false);
            await importer.WriteAsync(e.Timestamp.UtcTicks, NpgsqlDbType.Bigint).ConfigureAwait(false);
            await importer.WriteAsync(++sequence, NpgsqlDbType.Bigint).ConfigureAwait(false);
            await importer.WriteAsync(e.Timestamp.UtcTicks, NpgsqlDbType.Bigint).ConfigureAwait(false);
            await importer.WriteAsync(e.EventId, NpgsqlDbType.Uuid).ConfigureAwait(false);
            await importer.WriteAsync((short)e.SourceModule, NpgsqlDbType.Smallint).ConfigureAwait(false);
            await importer.WriteAsync((short)e.EventType, NpgsqlDbType.Smallint).ConfigureAwait(false);
            await importer.WriteAsync((short)e.Severity, NpgsqlDbType.Smallint).ConfigureAwait(false);
            await importer.WriteAsync((short)e.Payload.PayloadType, NpgsqlDbType.Smallint).ConfigureAwait(false);
            await importer.WriteNullAsync().ConfigureAwait(false);
            await importer.WriteNullAsync().ConfigureAwait(false);
            await importer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(e.Common.Environment), NpgsqlDbType.Bytea).ConfigureAwait(false);
            await importer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(e.Payload.Subtype), NpgsqlDbType.Bytea).ConfigureAwait(false);
            await importer.WriteAsync(e.Common.Tags.Select(t => System.Text.Encoding.UTF8.GetBytes(t.Key + "\u00ff" + t.Value)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bytea).ConfigureAwait(false);
            await importer.WriteAsync(body, NpgsqlDbType.Bytea).ConfigureAwait(false);
        }

        await importer.CompleteAsync().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }
}
