using Npgsql;

namespace AnalyticsHub.PostgreSql;

/// <summary>
/// Applies the migrations (or checks the schema) once per store before its first operation; a failed attempt is retried
/// by the next caller. Every PostgreSQL store of the package opens through one.
/// </summary>
internal sealed class SchemaGate
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Lock _gate = new();
    private Task? _ready;

    private SchemaGate(NpgsqlDataSource dataSource, PostgreSqlOptions options)
    {
        _dataSource = dataSource;
        Options = options;
        Schema = PostgreSqlMigrator.Quote(options.Schema);
    }

    /// <summary>The store's own copy of the options, checked.</summary>
    public PostgreSqlOptions Options { get; }

    /// <summary>The schema's name quoted for SQL.</summary>
    public string Schema { get; }

    /// <summary>
    /// Checks <paramref name="options"/> (the defaults when null), takes a copy the caller can no longer change and makes
    /// the store's gate; nothing is read from the server until <see cref="EnsureAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static SchemaGate Open(NpgsqlDataSource dataSource, PostgreSqlOptions? options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var settings = (options ?? new PostgreSqlOptions()).Clone();
        settings.ThrowIfInvalid();
        return new SchemaGate(dataSource, settings);
    }

    /// <summary>Waits until the schema is current; the migration itself is not cancelled by <paramref name="cancellationToken"/>.</summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = PostgreSqlMigrator.EnsureAsync(_dataSource, Options.Schema, Options.MigrateOnStart, CancellationToken.None);
            }

            ready = _ready;
        }

        return ready.IsCompletedSuccessfully ? ready : ready.WaitAsync(cancellationToken);
    }
}
