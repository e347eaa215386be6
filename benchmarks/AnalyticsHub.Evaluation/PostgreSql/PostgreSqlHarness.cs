using AnalyticsHub.Evaluation.TimeSeries;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.Evaluation.PostgreSql;

/// <summary>What the PostgreSQL harness commands share: the server they run against and two one-statement helpers.</summary>
internal static class PostgreSqlHarness
{
    /// <summary>The environment variable holding the server's Npgsql connection string (the tests read the same one).</summary>
    public const string ServerVariable = "ANALYTICSHUB_POSTGRES_TEST";

    /// <summary>The server's connection string, or null after telling the user how to start one.</summary>
    /// <param name="command">The command's name, for the message.</param>
    public static async Task<string?> ConnectionStringAsync(string command)
    {
        var connectionString = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrEmpty(connectionString))
        {
            await Console.Error.WriteLineAsync($"{command} needs {ServerVariable} (an Npgsql connection string); `source .ci/postgres && pg_ci_start` starts a throwaway server.").ConfigureAwait(false);
            return null;
        }

        return connectionString;
    }

    /// <summary>
    /// Copies points <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> of the workload with
    /// binary COPY into a one-row-per-point table <c>(series_id integer, ticks bigint, latency_ms double precision,
    /// token_count bigint, cost_usd double precision)</c>.
    /// </summary>
    public static async Task CopyPointRowsAsync(NpgsqlDataSource dataSource, string table, TimeSeriesWorkload workload, int from, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
        for (var i = from; i < from + count; i++)
        {
            await importer.StartRowAsync().ConfigureAwait(false);
            await importer.WriteAsync((int)workload.Series[i], NpgsqlDbType.Integer).ConfigureAwait(false);
            await importer.WriteAsync(workload.Ticks[i], NpgsqlDbType.Bigint).ConfigureAwait(false);
            await importer.WriteAsync(workload.Latency[i], NpgsqlDbType.Double).ConfigureAwait(false);
            await importer.WriteAsync(workload.Tokens[i], NpgsqlDbType.Bigint).ConfigureAwait(false);
            await importer.WriteAsync(workload.Cost[i], NpgsqlDbType.Double).ConfigureAwait(false);
        }

        await importer.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Runs one statement (or several separated by semicolons).</summary>
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>.</summary>
    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    /// <summary>Equal within 1e-9 relative (absolute below 1): what the harnesses accept as the same aggregate.</summary>
    public static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
}
