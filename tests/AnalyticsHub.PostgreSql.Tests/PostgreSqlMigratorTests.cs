using AnalyticsHub.PostgreSql.Migrations;
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
        var append = await Assert.ThrowsAsync<PostgreSqlSchemaException>(async () => await store.AppendAsync([AnalyticsHub.Tests.Storage.RandomEvents.Event(new Random(1))]));

        Assert.Contains("version 999", migrate.Message, StringComparison.Ordinal);
        Assert.Contains("newer", migrate.Message, StringComparison.Ordinal);
        Assert.Equal(migrate.Message, append.Message);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".events"));
        TestDatabase.DropSchema(schema);
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
