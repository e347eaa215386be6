using System.Diagnostics;
using AnalyticsHub.Events;
using AnalyticsHub.Tests.Storage;
using AnalyticsHub.TimeSeries;
using Npgsql;
using static AnalyticsHub.Tests.TimeSeries.TimeSeriesTestData;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>The PostgreSQL time-series store beyond the contract: the stored layout, restarts, a second host, faults.</summary>
public sealed class PostgreSqlTimeSeriesTests : IDisposable
{
    private readonly TimeSeriesSchemas _schemas = new();

    private static readonly DateTimeOffset Now = T0.AddDays(30);

    public void Dispose() => _schemas.Dispose();

    private static TimeSeriesQuery Everything(string measurement = "llm_request", params Aggregation[] aggregations) => new()
    {
        Measurement = measurement,
        TimeRange = new TimeRange(T0.AddYears(-1), T0.AddYears(1)),
        Aggregations = aggregations.Length == 0 ? null : aggregations,
    };

    private static async Task<List<string>> Answer(ITimeSeriesStore store, TimeSeriesQuery query)
    {
        var outcome = await store.QueryAsync(query);
        Assert.True(outcome.IsSuccess, string.Join("; ", outcome.Errors.Select(e => e.Message)));
        return [.. outcome.Result!.Series.SelectMany(s => s.Points.Select(p =>
            $"{string.Join(",", s.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))}@{p.Timestamp:O}:{string.Join(",", p.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"))}"))];
    }

    [Fact]
    public async Task WritePointsAsync_ManyPointsOfOneSeriesAndDay_StoresChunksOf1024WhoseArraysSqlCanAggregate()
    {
        var store = _schemas.Create();
        var points = Enumerable.Range(0, 3000).Select(i => Point(T0.AddSeconds(i), i * 0.5)).ToList();

        Assert.True((await store.WritePointsAsync(points)).IsSuccess);

        var schema = _schemas.SchemaOf(store);
        Assert.Equal("1024,1024,952", await TestDatabase.ScalarAsync<string>($"SELECT string_agg(count::text, ',' ORDER BY seq) FROM \"{schema}\".ts_chunks"));
        // Every value is a double: no kind array; the numbers slice of the one field sums like the points.
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_chunks WHERE kinds IS NOT NULL OR integers IS NOT NULL OR texts IS NOT NULL"));
        Assert.Equal(points.Sum(p => p.Fields.LatencyMs!.Value), await TestDatabase.ScalarAsync<double>($"SELECT sum(v) FROM \"{schema}\".ts_chunks, unnest(numbers) v"));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_series WHERE tags @> ARRAY[convert_to('model_id', 'UTF8') || '\\xff'::bytea || convert_to('gpt-4o', 'UTF8')]"));
    }

    [Fact]
    public async Task CompactAsync_SmallBatchesOfOneSeries_MergesTheClosedDaysChunksKeepsEveryPointInOrderAndIsIdempotent()
    {
        var store = _schemas.Create();
        var schema = _schemas.SchemaOf(store);
        // Day one out of order within itself; day two open (not compacted).
        var points = Enumerable.Range(0, 1100).Select(i => Point(T0.AddSeconds(i % 7 == 0 ? 1100 - i : i), i)).ToList();
        var open = Enumerable.Range(0, 30).Select(i => Point(T0.AddDays(1).AddSeconds(i), i)).ToList();
        foreach (var batch in points.Chunk(10).Concat(open.Chunk(10)))
        {
            Assert.True((await store.WritePointsAsync(batch)).IsSuccess);
        }

        Assert.Equal(113L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_chunks")); // a chunk per batch: no merge on the write path
        var expected = await Answer(store, Everything());

        Assert.Equal(110L - 2L, await store.CompactAsync(T0.AddDays(1)));

        Assert.Equal("1024,76", await TestDatabase.ScalarAsync<string>($"SELECT string_agg(count::text, ',' ORDER BY seq) FROM \"{schema}\".ts_chunks WHERE day = {T0.UtcTicks}"));
        Assert.Equal(3L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_chunks WHERE day > {T0.UtcTicks}"));
        Assert.Equal(0L, await store.CompactAsync(T0.AddDays(1)));
        Assert.Equal(1130, expected.Count);
        Assert.Equal(expected, await Answer(store, Everything()));
        Assert.Equal(expected, await Answer(_schemas.Reopen(store), Everything()));
    }

    [Fact]
    public async Task Migrate_AVersion5SchemaWithChunksWrittenThen_ReadsEveryValueExactlyAndWritesIntegersInNumbers()
    {
        var name = TestDatabase.NewSchema();
        var schema = PostgreSqlMigrator.Quote(name);
        try
        {
            // The schema as version 5 left it, with one chunk written the way versions 4 and 5 wrote them: an integers
            // array beside the numbers, here holding 2^53 + 1, which its double cannot.
            var sql = new System.Text.StringBuilder($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());");
            foreach (var migration in AnalyticsHub.PostgreSql.Migrations.SchemaMigrations.All.Where(m => m.Version <= 5))
            {
                sql.Append(migration.Sql.Replace("{schema}", schema, StringComparison.Ordinal))
                    .Append($"; INSERT INTO {schema}.schema_version (version, description) VALUES ({migration.Version}, 'v');");
            }

            sql.Append($"""
                CREATE TABLE {schema}.ts_chunks_p20261127 PARTITION OF {schema}.ts_chunks FOR VALUES FROM ({T0.UtcTicks}) TO ({T0.AddDays(1).UtcTicks});
                INSERT INTO {schema}.ts_chunks (day, series_id, count, min_ticks, max_ticks, ticks, fields, numbers, kinds, integers) VALUES (
                    {T0.UtcTicks}, 0, 2, {T0.UtcTicks}, {T0.AddSeconds(1).UtcTicks}, ARRAY[{T0.UtcTicks}, {T0.AddSeconds(1).UtcTicks}]::bigint[],
                    ARRAY[convert_to('latency_ms', 'UTF8'), convert_to('token_count', 'UTF8'), convert_to('cached', 'UTF8')],
                    ARRAY[1.5, 2.5, 7, 9007199254740992, 1, 0]::double precision[], '\x010102020505'::bytea, ARRAY[0, 0, 7, 9007199254740993, 1, 0]::bigint[]);
                UPDATE {schema}.ts_state SET version = 1;
                """);
            await using (var connection = await TestDatabase.DataSource.OpenConnectionAsync())
            {
                await using (var create = new NpgsqlCommand(sql.ToString(), connection))
                {
                    await create.ExecuteNonQueryAsync();
                }

                await using var series = new NpgsqlCommand($"INSERT INTO {schema}.ts_series VALUES (0, convert_to('llm_request', 'UTF8'), $1)", connection);
                series.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = SeriesTags.Encode(new Dictionary<string, string> { ["source_module"] = "llm-observatory", ["environment"] = "production", ["model_id"] = "gpt-4o" }) });
                await series.ExecuteNonQueryAsync();
            }

            using var store = new PostgreSqlTimeSeriesStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = name });
            static TimeSeriesPoint Typed(DateTimeOffset at, long tokens, bool cached) => new()
            {
                Measurement = "llm_request",
                Timestamp = at,
                Tags = Tags(),
                Fields = new FieldSet(new Dictionary<string, FieldValue> { ["latency_ms"] = FieldValue.FromDouble(3.5), ["token_count"] = FieldValue.FromInt64(tokens), ["cached"] = FieldValue.FromBoolean(cached) }),
            };

            Assert.True((await store.WritePointsAsync([Typed(T0.AddSeconds(2), 5, true)])).IsSuccess);
            Assert.True((await store.WritePointsAsync([Typed(T0.AddSeconds(3), -9_007_199_254_740_993, false)])).IsSuccess);

            Assert.Equal(AnalyticsHub.PostgreSql.Migrations.SchemaMigrations.Latest, await PostgreSqlMigrator.GetVersionAsync(TestDatabase.DataSource, name));
            Assert.Equal("true,false,true", await TestDatabase.ScalarAsync<string>($"SELECT string_agg((integers IS NOT NULL)::text, ',' ORDER BY seq) FROM {schema}.ts_chunks"));
            using var restarted = new PostgreSqlTimeSeriesStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = name });
            foreach (var reader in new[] { store, restarted })
            {
                var points = Assert.Single((await reader.QueryAsync(Everything())).Result!.Series).Points;
                Assert.Equal(
                    [(7L, true), (9_007_199_254_740_993, false), (5, true), (-9_007_199_254_740_993, false)],
                    points.Select(p => (p.Values["token_count"]!.Value.TryGetInt64(out var n) ? n : 0, FieldValue.FromBoolean(true).Equals(p.Values["cached"]))));
                Assert.Equal([1.5, 2.5, 3.5, 3.5], points.Select(p => Number(p.Values["latency_ms"])));
            }
        }
        finally
        {
            TestDatabase.DropSchema(name);
        }
    }

    [Fact]
    public async Task ApplyRetentionAsync_CompactsTheDaysBeforeTheCurrentOne()
    {
        var store = _schemas.Create();
        var schema = _schemas.SchemaOf(store);
        foreach (var day in new[] { 0, 1, 2 })
        {
            foreach (var model in new[] { "a", "b" })
            {
                for (var batch = 0; batch < 3; batch++)
                {
                    Assert.True((await store.WritePointsAsync([Point(T0.AddDays(day).AddMinutes(batch), batch, model)])).IsSuccess);
                }
            }
        }

        await store.ApplyRetentionAsync(T0.AddDays(2).AddHours(5));

        Assert.Equal("1,1,1,1,1,1,3,3,3,3", await TestDatabase.ScalarAsync<string>($"SELECT string_agg(count::text, ',' ORDER BY count, day) FROM \"{schema}\".ts_chunks"));
        Assert.Equal(18, (await Answer(_schemas.Reopen(store), Everything())).Count);
    }

    [Fact]
    public async Task CompactAsync_WhileAnotherHostWritesTheSameDays_LosesNoPointAndARerunFinishes()
    {
        var store = _schemas.Create();
        var writer = _schemas.Reopen(store);
        var schema = _schemas.SchemaOf(store);
        var models = new[] { "a", "b", "c" };
        for (var batch = 0; batch < 40; batch++)
        {
            Assert.True((await store.WritePointsAsync([.. models.Select(m => Point(T0.AddSeconds(batch), batch, m))])).IsSuccess);
        }

        // Late points for the day being compacted and points of the next, from a second host, during the pass.
        var writes = Task.Run(async () =>
        {
            for (var batch = 0; batch < 20; batch++)
            {
                Assert.True((await writer.WritePointsAsync([.. models.Select(m => Point(T0.AddHours(1).AddSeconds(batch), batch, m)), Point(T0.AddDays(1).AddSeconds(batch), batch)])).IsSuccess);
            }
        });
        var compacted = await store.CompactAsync(T0.AddDays(1));
        await writes;
        compacted += await store.CompactAsync(T0.AddDays(1));

        Assert.Equal(3L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_chunks WHERE day = {T0.UtcTicks}"));
        Assert.Equal((40L + 20L) * 3, await TestDatabase.ScalarAsync<long>($"SELECT sum(count)::bigint FROM \"{schema}\".ts_chunks WHERE day = {T0.UtcTicks}"));
        Assert.Equal(40L + 20L - 1, compacted / 3);
        var everything = await Answer(writer, Everything());
        Assert.Equal((40 * 3) + (20 * 4), everything.Count);
        Assert.Equal(everything.Order(StringComparer.Ordinal), (await Answer(store, Everything())).Order(StringComparer.Ordinal));
        Assert.Equal(everything.Order(StringComparer.Ordinal), (await Answer(_schemas.Reopen(store), Everything())).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CompactAsync_ConnectionKilledMidStep_LeavesTheChunksAsTheyWereAndARerunFinishes()
    {
        var store = _schemas.Create();
        var schema = _schemas.SchemaOf(store);
        for (var batch = 0; batch < 5; batch++)
        {
            Assert.True((await store.WritePointsAsync([Point(T0.AddMinutes(batch), batch), Point(T0.AddMinutes(batch), batch, "other")])).IsSuccess);
        }

        var expected = await Answer(store, Everything());

        // Hold one chunk's row: the step gets the ts_state lock and reads the chunks, then waits to delete them and is killed.
        await using (var blocker = await TestDatabase.DataSource.OpenConnectionAsync())
        await using (var hold = await blocker.BeginTransactionAsync())
        {
            await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM \"{schema}\".ts_chunks ORDER BY seq DESC LIMIT 1 FOR UPDATE", blocker, hold))
            {
                await lockRow.ExecuteScalarAsync();
            }

            var compaction = store.CompactAsync(T0.AddDays(1)).AsTask();
            var victim = await WaitForBlockedAsync(schema, "ts_chunks");
            Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE pid = {victim} AND relation = '\"{schema}\".ts_state'::regclass"));
            await using (var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({victim})", blocker, hold))
            {
                await kill.ExecuteScalarAsync();
            }

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => compaction);
            await hold.RollbackAsync();
        }

        Assert.Equal(10L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_chunks"));
        Assert.Equal(expected, await Answer(_schemas.Reopen(store), Everything()));

        Assert.Equal(8L, await store.CompactAsync(T0.AddDays(1)));

        Assert.Equal(2L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_chunks"));
        Assert.Equal(expected, await Answer(store, Everything()));
        Assert.Equal(expected, await Answer(_schemas.Reopen(store), Everything()));
    }

    [Fact]
    public async Task Restart_ANewStoreOnTheSchema_AnswersEveryQueryAsTheFirstDid()
    {
        var store = _schemas.Create();
        var random = new Random(7);
        var points = Enumerable.Range(0, 500).Select(i => Point(
            T0.AddMinutes(random.Next(0, 3 * 24 * 60)), Math.Round(random.NextDouble() * 900, 1), model: "m" + random.Next(3), region: random.Next(2) == 0 ? "eu" : null)).ToList();
        var mixed = Point(T0, 1) with
        {
            Fields = new FieldSet([new("big", FieldValue.FromUInt64(ulong.MaxValue)), new("name", FieldValue.FromString("a\u0000é")), new("ok", FieldValue.FromBoolean(true)), new("n", FieldValue.FromInt64(-3))]),
            Tags = Tags(custom: new() { ["team"] = "x\u0000y" }),
        };
        Assert.Empty(await store.RegisterContinuousQueryAsync(Hourly()));
        foreach (var chunk in points.Chunk(37))
        {
            Assert.True((await store.WritePointsAsync(chunk)).IsSuccess);
        }

        Assert.True((await store.WritePointsAsync([mixed])).IsSuccess);
        Assert.True((await store.WriteRollupsAsync([Bucket("summaries", T0, 10, 20, 30)])).IsSuccess);
        var inRange = points.Count(p => p.Timestamp >= T0.AddHours(5) && p.Timestamp < T0.AddHours(30));
        Assert.True(inRange > 0);
        Assert.Equal(inRange, await store.DeleteRangeAsync("llm_request", new TimeRange(T0.AddHours(5), T0.AddHours(30))));
        var queries = new[]
        {
            Everything(),
            Everything("llm_request", Agg(AggregationFunction.ForPercentile(95), "1h", "latency_ms"), Agg(AggregationFunction.First, "1h", "latency_ms")) with { GroupBy = ["model_id"] },
            Everything("llm_request_1h", Agg(AggregationFunction.Count, "1h", "latency_ms"), Agg(AggregationFunction.Max, "1h", "latency_ms")) with { GroupBy = ["model_id"], PercentileMode = PercentileMode.Sketch },
            Everything("summaries", Agg(AggregationFunction.Mean, "1h", "value"), Agg(AggregationFunction.Stddev, "1h", "value")),
        };
        var before = new List<List<string>>();
        foreach (var query in queries)
        {
            before.Add(await Answer(store, query));
        }

        var restarted = _schemas.Reopen(store);

        for (var q = 0; q < queries.Length; q++)
        {
            Assert.Equal(before[q], await Answer(restarted, queries[q]));
        }

        Assert.Equal(["hourly"], (await restarted.GetContinuousQueriesAsync()).Select(c => c.QueryId));
        Assert.Equal(await store.DescribeSeriesAsync(), await restarted.DescribeSeriesAsync(), SeriesComparer.Instance);

        // The restarted store keeps maintaining the continuous query.
        Assert.True((await restarted.WritePointsAsync([Point(T0.AddMinutes(1), 5000, model: "m0")])).IsSuccess);
        var destination = await restarted.QueryAsync(queries[2]);
        Assert.Contains(destination.Result!.Series.Single(s => s.Tags["model_id"] == "m0").Points, p => Number(p.Values["latency_ms_max"]) == 5000);
    }

    [Fact]
    public async Task Restart_AfterRetention_KeepsTheRollupsAndTheRawHorizon()
    {
        var store = _schemas.Create();
        var points = Enumerable.Range(0, 24 * 12).Select(i => Point(Now.AddDays(-7).AddHours(-12).AddMinutes(5 * i), i)).ToList();
        await store.WritePointsAsync(points);
        var retention = await store.ApplyRetentionAsync(Now);
        Assert.True(retention.RawPointsDownsampled > 0);
        var query = new TimeSeriesQuery
        {
            Measurement = "llm_request",
            TimeRange = new TimeRange(Now.AddDays(-8), Now),
            Aggregations = [Agg(AggregationFunction.Count, "1d", "latency_ms"), Agg(AggregationFunction.Sum, "1d", "latency_ms")],
        };
        var before = await Answer(store, query);

        var restarted = _schemas.Reopen(store);

        Assert.Equal(before, await Answer(restarted, query));
        Assert.Equal(["raw", "5m"], (await restarted.QueryAsync(query)).Result!.Metadata.Resolutions);
        var again = await restarted.ApplyRetentionAsync(Now);
        Assert.Equal((0L, 0L), (again.RawPointsDownsampled, again.RawPointsDropped));
        Assert.Equal(before, await Answer(restarted, query));
    }

    [Fact]
    public async Task SecondHost_WritesOfTheOther_AreSeenByTheNextQuery()
    {
        var first = _schemas.Create();
        await first.WritePointsAsync([Point(T0, 1)]);
        var second = _schemas.Reopen(first);
        Assert.Single(await Answer(second, Everything()));

        await first.WritePointsAsync([Point(T0.AddMinutes(1), 2)]);
        await second.WritePointsAsync([Point(T0.AddMinutes(2), 3)]);

        Assert.Equal(3, (await Answer(first, Everything())).Count);
        Assert.Equal(await Answer(first, Everything()), await Answer(second, Everything()));
    }

    [Fact]
    public async Task WritePointsAsync_TheStoredDataExceedsTheLimitsOfARestartedStore_FailsWithAMessageNamingTheOption()
    {
        var store = _schemas.Create();
        await store.WritePointsAsync([Point(T0, 1, model: "a"), Point(T0, 1, model: "b")]);

        var narrow = _schemas.Reopen(store, new() { Cardinality = new() { MaxSeriesPerMeasurement = 1 } });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await narrow.QueryAsync(Everything()));
        Assert.Contains("PostgreSqlOptions.TimeSeries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritePointsAsync_ConnectionKilledMidTransaction_StoresNothingAndTheRetryStoresEverything()
    {
        var store = _schemas.Create();
        var schema = _schemas.SchemaOf(store);
        Assert.True((await store.WritePointsAsync([Point(T0, 1)])).IsSuccess);
        var batch = new[] { Point(T0.AddMinutes(1), 2, model: "new-series"), Point(T0.AddDays(3), 3) };

        // Hold the chunk table: the write gets past its new series and stops at the chunks, where it is killed.
        await using (var blocker = await TestDatabase.DataSource.OpenConnectionAsync())
        await using (var hold = await blocker.BeginTransactionAsync())
        {
            await using (var lockTable = new NpgsqlCommand($"LOCK TABLE \"{schema}\".ts_chunks IN ACCESS EXCLUSIVE MODE", blocker, hold))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            var write = store.WritePointsAsync(batch).AsTask();
            var victim = await WaitForBlockedAsync(schema, "ts_chunks");
            Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE pid = {victim} AND relation = '\"{schema}\".ts_series'::regclass"));
            await using (var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({victim})", blocker, hold))
            {
                await kill.ExecuteScalarAsync();
            }

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => write);
            await hold.RollbackAsync();
        }

        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_series"));
        Assert.Single(await Answer(store, Everything()));
        Assert.Single(await Answer(_schemas.Reopen(store), Everything()));

        Assert.True((await store.WritePointsAsync(batch)).IsSuccess);

        Assert.Equal(3, (await Answer(store, Everything())).Count);
        Assert.Equal(await Answer(store, Everything()), await Answer(_schemas.Reopen(store), Everything()));
    }

    [Fact]
    public async Task WriteRollupsAsync_ConnectionKilledMidTransaction_StoresNothingAndTheRetryMergesOnce()
    {
        var store = _schemas.Create();
        var schema = _schemas.SchemaOf(store);
        Assert.True((await store.WriteRollupsAsync([Bucket("summaries", T0, 1)])).IsSuccess);
        var query = Everything("summaries", Agg(AggregationFunction.Count, "1h", "value"), Agg(AggregationFunction.Sum, "1h", "value"));

        await using (var blocker = await TestDatabase.DataSource.OpenConnectionAsync())
        await using (var hold = await blocker.BeginTransactionAsync())
        {
            await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM \"{schema}\".ts_rollups FOR UPDATE", blocker, hold))
            {
                await lockRow.ExecuteScalarAsync();
            }

            var write = store.WriteRollupsAsync([Bucket("summaries", T0.AddMinutes(1), 5), Bucket("summaries", T0, 2, 3)]).AsTask();
            var victim = await WaitForBlockedAsync(schema, "ts_rollups");
            await using (var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({victim})", blocker, hold))
            {
                await kill.ExecuteScalarAsync();
            }

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => write);
            await hold.RollbackAsync();
        }

        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".ts_rollups"));
        var values = Assert.Single(Assert.Single((await store.QueryAsync(query)).Result!.Series).Points).Values;
        Assert.Equal(FieldValue.FromInt64(1), values["value_count"]);

        Assert.True((await store.WriteRollupsAsync([Bucket("summaries", T0.AddMinutes(1), 5), Bucket("summaries", T0, 2, 3)])).IsSuccess);

        foreach (var reader in new[] { store, _schemas.Reopen(store) })
        {
            var merged = Assert.Single(Assert.Single((await reader.QueryAsync(query)).Result!.Series).Points).Values;
            Assert.Equal(FieldValue.FromInt64(4), merged["value_count"]);
            Assert.Equal(11, Number(merged["value_sum"]));
        }
    }

    private static async Task<int> WaitForBlockedAsync(string schema, string table)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            var victim = await TestDatabase.ScalarAsync<int>(
                $"SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%\"{schema}\".{table}%'");
            if (victim != 0)
            {
                return victim;
            }
        }

        throw new TimeoutException($"No statement of the write waited on {table}.");
    }

    private static ContinuousQuery Hourly() => new()
    {
        QueryId = "hourly",
        Name = "per model per hour",
        SourceMeasurement = "llm_request",
        DestinationMeasurement = "llm_request_1h",
        Query = new TimeSeriesQuery
        {
            Measurement = "llm_request",
            TimeRange = new TimeRange(T0.AddYears(-1), T0.AddYears(1)),
            Aggregations = [Agg(AggregationFunction.ForPercentile(95), "1h", "latency_ms")],
            GroupBy = ["model_id"],
        },
        Interval = "1m",
        Enabled = true,
    };

    private static RollupBucket Bucket(string measurement, DateTimeOffset start, params double[] values) =>
        RetentionAndRollupContractTests.Bucket(measurement, start, TimeSpan.FromMinutes(1), values);

    private sealed class SeriesComparer : IEqualityComparer<SeriesDescription>
    {
        public static readonly SeriesComparer Instance = new();

        public bool Equals(SeriesDescription? x, SeriesDescription? y) =>
            x!.Measurement == y!.Measurement && x.Tags.Equals(y.Tags) && x.Fields.SequenceEqual(y.Fields) && x.PointCount == y.PointCount
            && x.FirstTimestamp == y.FirstTimestamp && x.LastTimestamp == y.LastTimestamp;

        public int GetHashCode(SeriesDescription obj) => obj.Measurement.GetHashCode(StringComparison.Ordinal);
    }
}
