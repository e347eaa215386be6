using System.Globalization;
using System.Text;
using AnalyticsHub.PostgreSql.Migrations;
using Npgsql;

namespace AnalyticsHub.PostgreSql;

/// <summary>Applies the store's versioned schema migrations, or checks that they were applied.</summary>
/// <remarks>
/// Migrations run in one transaction under a transaction-scoped advisory lock derived from the schema's name, so hosts
/// starting together migrate once and the others wait and then find the work done. The applied versions are rows of
/// <c>schema_version</c>. A database at a newer version than the code knows is refused with
/// <see cref="PostgreSqlSchemaException"/>: old code must not write into a schema it does not understand.
/// </remarks>
public static class PostgreSqlMigrator
{
    /// <summary>The schema version this code writes and reads.</summary>
    public static int CurrentVersion => SchemaMigrations.Latest;

    /// <summary>Applies every pending migration to <paramref name="schema"/> (creating it when missing).</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema (see <see cref="PostgreSqlOptions.Schema"/>).</param>
    /// <param name="cancellationToken">Cancels the migration (nothing is applied then).</param>
    /// <returns>The versions applied now, oldest first; empty when the schema was current.</returns>
    /// <exception cref="PostgreSqlSchemaException">The schema is at a newer version than this code knows.</exception>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, string schema = "analyticshub", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        CheckSchema(schema);
        var quoted = Quote(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey(schema)})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {quoted};
            CREATE TABLE IF NOT EXISTS {quoted}.schema_version (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now());
            """, cancellationToken).ConfigureAwait(false);
        var current = await ReadVersionAsync(connection, transaction, quoted, cancellationToken).ConfigureAwait(false);
        ThrowIfNewer(schema, current);

        var applied = new List<int>();
        foreach (var migration in SchemaMigrations.All)
        {
            if (migration.Version <= current)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql.Replace("{schema}", quoted, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand($"INSERT INTO {quoted}.schema_version (version, description) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Description });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }

    /// <summary>The version <paramref name="schema"/> is at; 0 when it was never migrated.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The highest applied version.</returns>
    public static async Task<int> GetVersionAsync(NpgsqlDataSource dataSource, string schema = "analyticshub", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        CheckSchema(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Quote(schema) + ".schema_version" });
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return 0;
        }

        return await ReadVersionAsync(connection, null, Quote(schema), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Migrates, or (when <paramref name="migrate"/> is false) checks that the schema is exactly current.</summary>
    internal static async Task EnsureAsync(NpgsqlDataSource dataSource, string schema, bool migrate, CancellationToken cancellationToken)
    {
        if (migrate)
        {
            await MigrateAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            return;
        }

        var version = await GetVersionAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
        ThrowIfNewer(schema, version);
        if (version < CurrentVersion)
        {
            throw new PostgreSqlSchemaException(string.Create(
                CultureInfo.InvariantCulture,
                $"The PostgreSQL schema '{schema}' is at version {version} and this AnalyticsHub needs version {CurrentVersion}; run PostgreSqlMigrator.MigrateAsync (or set MigrateOnStart) first."));
        }
    }

    internal static string Quote(string schema) => "\"" + schema + "\"";

    /// <summary>The advisory lock key of a schema's migrations: FNV-1a of its name, so two schemas never wait for each other by design.</summary>
    internal static long LockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("analyticshub.migrate:" + schema))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private static void CheckSchema(string schema)
    {
        var problems = new PostgreSqlOptions { Schema = schema }.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0], nameof(schema));
        }
    }

    private static void ThrowIfNewer(string schema, int version)
    {
        if (version > CurrentVersion)
        {
            throw new PostgreSqlSchemaException(string.Create(
                CultureInfo.InvariantCulture,
                $"The PostgreSQL schema '{schema}' is at version {version}, newer than the version {CurrentVersion} this AnalyticsHub knows; upgrade the AnalyticsHub.PostgreSql package (or point it at another schema). Nothing was written."));
        }
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string quoted, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {quoted}.schema_version", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
