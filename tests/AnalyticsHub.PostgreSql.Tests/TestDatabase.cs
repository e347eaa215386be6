using Npgsql;

namespace AnalyticsHub.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests run against, named by <see cref="Variable"/> (.ci/run starts one and sets it). Without
/// it every test fails with a message saying how to start one: a suite that skipped silently would pass CI untested.
/// Each store gets its own schema, so tests run in parallel without seeing each other's events.
/// </summary>
internal static class TestDatabase
{
    public const string Variable = "ANALYTICSHUB_POSTGRES_TEST";
    public const string DataDirectoryVariable = "ANALYTICSHUB_POSTGRES_DATA";
    public const string BinDirectoryVariable = "ANALYTICSHUB_POSTGRES_BIN";

    private static readonly Lazy<NpgsqlDataSource> Shared = new(() => NpgsqlDataSource.Create(ConnectionString));

    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"The PostgreSQL tests need a server: set {Variable} to an Npgsql connection string (e.g. Host=127.0.0.1;Port=5433;Username=postgres;Database=postgres), " +
            "or run them through .ci/run, which starts a throwaway server (source .ci/postgres && pg_ci_start does the same by hand).");

    /// <summary>The pooled data source every test shares.</summary>
    public static NpgsqlDataSource DataSource => Shared.Value;

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..24];

    public static void DropSchema(string schema)
    {
        using var connection = DataSource.OpenConnection();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }

    public static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
