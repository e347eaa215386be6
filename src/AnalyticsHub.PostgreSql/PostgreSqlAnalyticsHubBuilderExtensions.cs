using AnalyticsHub.Correlation;
using AnalyticsHub.Cost;
using AnalyticsHub.Hosting;
using AnalyticsHub.PostgreSql;
using AnalyticsHub.Storage;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Puts the hub's event store, time series (<see cref="ITimeSeriesStore"/>), budget states (<see cref="IBudgetStateStore"/>)
/// and incidents (<see cref="ICorrelationStore"/>) on PostgreSQL: <c>services.AddAnalyticsHub().UsePostgreSql(...)</c>.
/// </summary>
/// <remarks>
/// Trimming- and AOT-safe: the data source is built with <see cref="NpgsqlSlimDataSourceBuilder"/> (arrays enabled, no
/// dynamic JSON: bodies are the hub's own source-generated wire JSON stored as <c>bytea</c>), and every parameter is typed.
/// </remarks>
public static class PostgreSqlAnalyticsHubBuilderExtensions
{
    /// <summary>Stores events in the PostgreSQL database of <paramref name="connectionString"/>.</summary>
    /// <param name="builder">The hub's builder.</param>
    /// <param name="connectionString">An Npgsql connection string; the store builds (and disposes) a pooled data source for it, and an unpooled one for its notification listener.</param>
    /// <param name="configure">Sets the options (validated when the host starts, every problem in one message).</param>
    /// <returns>The builder.</returns>
    public static AnalyticsHubBuilder UsePostgreSql(this AnalyticsHubBuilder builder, string connectionString, Action<PostgreSqlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = new NpgsqlConnectionStringBuilder(connectionString); // a malformed string fails here, at registration
        return Register(builder, configure, sp =>
        {
            var loggers = sp.GetService<ILoggerFactory>();
            return (Build(connectionString, pooling: true, loggers), Build(connectionString, pooling: false, loggers), true);
        });
    }

    /// <summary>Stores events in the database of <paramref name="dataSource"/>, which the caller owns and disposes.</summary>
    /// <param name="builder">The hub's builder.</param>
    /// <param name="dataSource">The data source (it must support arrays, as <see cref="NpgsqlDataSource.Create(string)"/> does); the notification listener holds one of its connections.</param>
    /// <param name="configure">Sets the options (validated when the host starts).</param>
    /// <returns>The builder.</returns>
    public static AnalyticsHubBuilder UsePostgreSql(this AnalyticsHubBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return Register(builder, configure, _ => (dataSource, dataSource, false));
    }

    private static AnalyticsHubBuilder Register(
        AnalyticsHubBuilder builder,
        Action<PostgreSqlOptions>? configure,
        Func<IServiceProvider, (NpgsqlDataSource Data, NpgsqlDataSource Listen, bool Owned)> sources)
    {
        var services = builder.Services;
        var options = services.AddOptions<PostgreSqlOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlOptions>, PostgreSqlOptionsValidator>());
        services.RemoveAll<PostgreSqlEventStore>();
        services.AddSingleton(sp =>
        {
            var (data, listen, owned) = sources(sp);
            return new PostgreSqlEventStore(
                data,
                listen,
                owned,
                sp.GetRequiredService<IOptions<PostgreSqlOptions>>().Value,
                sp.GetService<TimeProvider>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger<PostgreSqlEventStore>());
        });
        services.Replace(ServiceDescriptor.Singleton<IEventStore>(sp => sp.GetRequiredService<PostgreSqlEventStore>()));
        services.Replace(ServiceDescriptor.Singleton<IBudgetStateStore>(sp => new PostgreSqlBudgetStateStore(
            sp.GetRequiredService<PostgreSqlEventStore>().DataSource, sp.GetRequiredService<IOptions<PostgreSqlOptions>>().Value)));
        services.Replace(ServiceDescriptor.Singleton<ICorrelationStore>(sp => new PostgreSqlCorrelationStore(
            sp.GetRequiredService<PostgreSqlEventStore>().DataSource, sp.GetRequiredService<IOptions<PostgreSqlOptions>>().Value)));
        services.Replace(ServiceDescriptor.Singleton<ITimeSeriesStore>(sp => new PostgreSqlTimeSeriesStore(
            sp.GetRequiredService<PostgreSqlEventStore>().DataSource, sp.GetRequiredService<IOptions<PostgreSqlOptions>>().Value)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlStartup>());
        return builder;
    }

    private static NpgsqlDataSource Build(string connectionString, bool pooling, ILoggerFactory? loggers)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!pooling)
        {
            settings.Pooling = false;
            settings.KeepAlive = settings.KeepAlive == 0 ? 30 : settings.KeepAlive;
        }

        var builder = new NpgsqlSlimDataSourceBuilder(settings.ConnectionString).EnableArrays();
        if (loggers is not null)
        {
            builder.UseLoggerFactory(loggers);
        }

        return builder.Build();
    }

    /// <summary>Migrates (or checks) the schema when the host starts, so a schema problem stops the host instead of the first append.</summary>
    private sealed class PostgreSqlStartup(PostgreSqlEventStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class PostgreSqlOptionsValidator : IValidateOptions<PostgreSqlOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
