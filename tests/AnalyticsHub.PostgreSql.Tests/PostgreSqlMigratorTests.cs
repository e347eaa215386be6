using AnalyticsHub.Events;
using AnalyticsHub.PostgreSql.Migrations;
using AnalyticsHub.Tests.Storage;
using Npgsql;

namespace AnalyticsHub.PostgreSql.Tests;

public sealed class PostgreSqlMigratorTests
{
    [Fact]
    public async Task MigrateAsync_FourHostsAtOnce_MigrateOnce()
    {
        var schema = TestDatabase.NewSchema();

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgreSqlMigrator.MigrateAsync(TestDatabase.DataSource, schema))));

        Assert.Single(applied, a => a.Count > 0);
        Assert.Equal(SchemaMigrations.All.Select(m => m.Version), applied.Single(a => a.Count > 0));
        Assert.Equal((long)SchemaMigrations.All.Count, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".schema_version"));
        Assert.Equal(PostgreSqlMigrator.CurrentVersion, await PostgreSqlMigrator.GetVersionAsync(TestDatabase.DataSource, schema));
        TestDatabase.DropSchema(schema);
    }

    [Fact]
    public async Task MigrateAsync_SchemaNewerThanTheCode_RefusesWithAClearMessageAndWritesNothing()
    {
        var schema = TestDatabase.NewSchema();
        await PostgreSqlMigrator.MigrateAsync(TestDatabase.DataSource, schema);
        await TestDatabase.ScalarAsync<int>($"INSERT INTO \"{schema}\".schema_version (version, description) VALUES (999, 'from the future') RETURNING version");
        await using var store = new PostgreSqlEventStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = schema });

        var migrate = await Assert.ThrowsAsync<PostgreSqlSchemaException>(() => PostgreSqlMigrator.MigrateAsync(TestDatabase.DataSource, schema));
        var append = await Assert.ThrowsAsync<PostgreSqlSchemaException>(async () => await store.AppendAsync([RandomEvents.Event(new Random(1))]));

        Assert.Contains("version 999", migrate.Message, StringComparison.Ordinal);
        Assert.Contains("newer", migrate.Message, StringComparison.Ordinal);
        Assert.Equal(migrate.Message, append.Message);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".events"));
        TestDatabase.DropSchema(schema);
    }

    [Fact]
    public async Task MigrateAsync_Version3WithStoredEvents_KeepsEachFindableByIdAndIdempotent()
    {
        await using var fixture = new PostgreSqlStoreFixture();
        var schema = PostgreSqlMigrator.Quote(fixture.Schema);
        var stored = RandomEvents.Events(new Random(3), 20);

        // The schema as version 3 left it, with the events stored the way version 3 stored them (event_ids without
        // the sequence) and an id whose event is gone.
        await CreateSchemaAsync(schema, 3, stored);
        await using (var orphan = TestDatabase.DataSource.CreateCommand($"INSERT INTO {schema}.event_ids (event_id, ticks) VALUES ('{Guid.NewGuid()}', 0)"))
        {
            await orphan.ExecuteNonQueryAsync();
        }

        var store = await fixture.CreateAsync();

        Assert.Equal(PostgreSqlMigrator.CurrentVersion, await PostgreSqlMigrator.GetVersionAsync(TestDatabase.DataSource, fixture.Schema));
        Assert.Equal(20L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM {schema}.event_ids"));
        for (var i = 0; i < stored.Count; i++)
        {
            Assert.Equal(stored[i].EventId, (await store.GetAsync(stored[i].EventId))?.EventId);
        }

        var again = await store.AppendAsync([.. stored, RandomEvents.Event(new Random(4))]);
        Assert.Equal(20, again.Duplicates);
        Assert.Equal(21ul, again.FirstSequence);
    }

    /// <summary>
    /// Builds <paramref name="schema"/> as version <paramref name="version"/> left it, holding <paramref name="stored"/>
    /// (sequences 1.. in list order) the way that version stored them: <c>event_ids</c> carries the sequence from version 5 on.
    /// </summary>
    private static async Task CreateSchemaAsync(string schema, int version, IReadOnlyList<AnalyticsEvent> stored)
    {
        var sql = new System.Text.StringBuilder($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());");
        foreach (var migration in SchemaMigrations.All.Where(m => m.Version <= version))
        {
            sql.Append(migration.Sql.Replace("{schema}", schema, StringComparison.Ordinal))
                .Append($"; INSERT INTO {schema}.schema_version (version, description) VALUES ({migration.Version}, 'v');");
        }

        foreach (var day in stored.Select(e => e.Timestamp.UtcTicks / TimeSpan.TicksPerDay).Distinct())
        {
            sql.Append($"CREATE TABLE {schema}.{PostgreSqlEventStore.PartitionName(day)} PARTITION OF {schema}.events FOR VALUES FROM ({day * TimeSpan.TicksPerDay}) TO ({(day + 1) * TimeSpan.TicksPerDay});");
        }

        await using var connection = await TestDatabase.DataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand(sql.ToString(), connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var ids = version >= 5 ? $"INSERT INTO {schema}.event_ids (event_id, ticks, seq) VALUES ($3, $1, $2)" : $"INSERT INTO {schema}.event_ids (event_id, ticks) VALUES ($3, $1)";
        for (var i = 0; i < stored.Count; i++)
        {
            var e = stored[i];
            await using var insert = new NpgsqlCommand($"""
                WITH e AS (
                    INSERT INTO {schema}.events (ticks, seq, arrival_ticks, event_id, source_module, event_type, severity, payload_type, correlation_id, parent_event_id, environment, subtype, tags, body)
                    VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)),
                i AS ({ids})
                UPDATE {schema}.sequence_counter SET last_sequence = $2
                """, connection);
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Timestamp.UtcTicks });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = i + 1 });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.EventId });
            insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)e.SourceModule });
            insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)e.EventType });
            insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)e.Severity });
            insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)e.Payload.PayloadType });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Common.CorrelationId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Common.ParentEventId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = EventColumns.Utf8(e.Common.Environment) });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = EventColumns.Utf8(e.Payload.Subtype) });
            insert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = EventColumns.Tags(e.Common.Tags) });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = AnalyticsEventJson.SerializeToUtf8Bytes(e) });
            await insert.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task InitializeAsync_MigrationsOffAndSchemaMissing_RefusesNamingTheCommand()
    {
        var schema = TestDatabase.NewSchema();
        await using var store = new PostgreSqlEventStore(TestDatabase.DataSource, new PostgreSqlOptions { Schema = schema, MigrateOnStart = false });

        var error = await Assert.ThrowsAsync<PostgreSqlSchemaException>(() => store.InitializeAsync());

        Assert.Contains("PostgreSqlMigrator.MigrateAsync", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await PostgreSqlMigrator.GetVersionAsync(TestDatabase.DataSource, schema));

        await PostgreSqlMigrator.MigrateAsync(TestDatabase.DataSource, schema);
        await store.InitializeAsync();
        TestDatabase.DropSchema(schema);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("a\"; DROP SCHEMA public; --")]
    [InlineData("")]
    [InlineData("9starts_with_digit")]
    public async Task MigrateAsync_BadSchemaName_ThrowsBeforeTouchingTheDatabase(string schema)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PostgreSqlMigrator.MigrateAsync(TestDatabase.DataSource, schema));

        Assert.Contains("PostgreSql:Schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryBadOption_ListsEachProblem()
    {
        var options = new PostgreSqlOptions
        {
            Schema = "Bad-Name",
            MaxEvents = 0,
            MaxAge = TimeSpan.Zero,
            PartitionRetention = TimeSpan.FromHours(1),
            ReplayLimit = -1,
            SubscriberBufferSize = 0,
            HeartbeatInterval = TimeSpan.Zero,
            ReconnectDelay = TimeSpan.Zero,
        };

        var problems = options.Validate();

        Assert.Equal(8, problems.Count);
        var error = Assert.Throws<ArgumentException>(() => new PostgreSqlEventStore(TestDatabase.DataSource, options));
        Assert.All(problems, p => Assert.Contains(p, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_NullDataSource_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new PostgreSqlEventStore((NpgsqlDataSource)null!));
}
