using Npgsql;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// Applies the migrations (or checks the schema) once per store before its first operation; a failed attempt is retried
/// by the next caller. Every PostgreSQL store of the package opens through one.
/// </summary>
internal sealed class SchemaGate(NpgsqlDataSource dataSource, PostgreSqlOptions options)
{
    private readonly Lock _gate = new();
    private Task? _ready;

    /// <summary>Waits until the schema is current; the migration itself is not cancelled by <paramref name="cancellationToken"/>.</summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = PostgreSqlMigrator.EnsureAsync(dataSource, options.Schema, options.MigrateOnStart, CancellationToken.None);
            }

            ready = _ready;
        }

        return ready.IsCompletedSuccessfully ? ready : ready.WaitAsync(cancellationToken);
    }
}
