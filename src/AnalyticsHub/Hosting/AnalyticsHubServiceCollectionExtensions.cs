using AnalyticsHub.Anomalies;
using AnalyticsHub.Correlation;
using AnalyticsHub.Alerts;
using AnalyticsHub.Cost;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metadata;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Policies;
using AnalyticsHub.Storage;
using AnalyticsHub.TimeSeries;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the analytics hub in a service collection.</summary>
public static class AnalyticsHubServiceCollectionExtensions
{
    /// <summary>Adds the hub with its defaults: in-memory stores and every built-in stage.</summary>
    /// <remarks>
    /// Registers, besides the hub, an <see cref="IHostedService"/> that starts it with a generic host and drains it on
    /// shutdown, and <see cref="AnalyticsHubHealthCheck"/> for the host's health checks. Without a host, call
    /// <see cref="IAnalyticsHub.StartAsync"/>: resolving the hub does not start it.
    /// </remarks>
    public static AnalyticsHubBuilder AddAnalyticsHub(this IServiceCollection services) => services.AddAnalyticsHub(static _ => { });

    /// <summary>Adds the hub, configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; runs when the hub is first resolved.</param>
    public static AnalyticsHubBuilder AddAnalyticsHub(this IServiceCollection services, Action<AnalyticsHubOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddCore(services);
        services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the hub, configured from a configuration section (e.g. <c>configuration.GetSection("AnalyticsHub")</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section whose keys mirror <see cref="AnalyticsHubOptions"/>.</param>
    public static AnalyticsHubBuilder AddAnalyticsHub(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddCore(services);
        services.Configure<AnalyticsHubOptions>(configuration);
        return builder;
    }

    /// <summary>The one core both overloads funnel into; registering twice adds nothing twice.</summary>
    private static AnalyticsHubBuilder AddCore(IServiceCollection services)
    {
        var builder = new AnalyticsHubBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(AnalyticsHubMarker)))
        {
            return builder;
        }

        services.AddSingleton<AnalyticsHubMarker>();
        services.AddOptions<AnalyticsHubOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnalyticsHubOptions>, AnalyticsHubOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventStore>(sp => new InMemoryEventStore(timeProvider: sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITimeSeriesStore>(sp => new InMemoryTimeSeriesStore());
        services.TryAddSingleton(sp => new HubMeter(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, TimeSeriesStage>(sp => new TimeSeriesStage(
            sp.GetRequiredService<ITimeSeriesStore>(),
            sp.GetRequiredService<HubMeter>(),
            Logger<TimeSeriesStage>(sp))));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Metrics.CreateCompositeRegistry());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, MetricsStage>(sp => new MetricsStage(
            sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Metrics,
            sp.GetRequiredService<ITimeSeriesStore>(),
            sp.GetRequiredService<HubMeter>(),
            Logger<MetricsStage>(sp))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, CompositeMetricsStage>(sp => new CompositeMetricsStage(
            sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Metrics,
            sp.GetRequiredService<CompositeMetricRegistry>(),
            sp.GetRequiredService<ITimeSeriesStore>())));
        services.TryAddSingleton<PriceTable>(sp => sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Cost.BuildPriceTable([]));
        services.TryAddSingleton(sp => new CostCalculator(sp.GetRequiredService<PriceTable>()));
        services.TryAddSingleton(sp =>
        {
            var cost = sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Cost;
            return new CostMonitor(
                sp.GetRequiredService<CostCalculator>(),
                new BudgetTracker(cost.Budgets, cost.BudgetCostSource, sp.GetRequiredService<PriceTable>(), cost.RequestMatchWindow, cost.MaxTrackedRequests));
        });
        services.TryAddSingleton<ICostMonitor>(sp => sp.GetRequiredService<CostMonitor>());
        services.TryAddSingleton<IMetadataStore>(sp => new InMemoryMetadataStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new MetadataRegistry(
            sp.GetRequiredService<IMetadataStore>(),
            sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Metadata,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CostCalculator>()));

        // Before the cost stage, so the first batch loads the registry's model prices before anything is priced.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, ModelStatusStage>(sp => new ModelStatusStage(
            sp.GetRequiredService<MetadataRegistry>(),
            sp.GetRequiredService<HubMeter>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, CostStage>(sp => new CostStage(
            sp.GetRequiredService<CostMonitor>(),
            sp.GetRequiredService<HubMeter>(),
            Logger<CostStage>(sp))));
        services.TryAddSingleton<IBudgetStateStore>(_ => new InMemoryBudgetStateStore());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, BudgetStage>(sp => new BudgetStage(
            sp.GetRequiredService<CostMonitor>(),
            sp.GetRequiredService<IBudgetStateStore>(),
            sp.GetRequiredService<HubMeter>(),
            Logger<BudgetStage>(sp))));
        services.TryAddSingleton(sp => new PolicyRegistry(sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PolicyHubState(sp.GetRequiredService<ICostMonitor>(), sp.GetRequiredService<MetadataRegistry>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IPolicyEvaluator>(sp => new PolicyEvaluator(sp.GetRequiredService<PolicyRegistry>(), sp.GetRequiredService<PolicyHubState>()));
        services.TryAddSingleton(sp => new AlertDispatcher(
            sp.GetServices<IAlertSink>(),
            sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.AlertDelivery,
            sp.GetRequiredService<HubMeter>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, PolicyStage>(sp => new PolicyStage(
            sp.GetRequiredService<PolicyRegistry>(),
            sp.GetRequiredService<PolicyHubState>(),
            sp.GetRequiredService<HubMeter>(),
            sp.GetRequiredService<AlertDispatcher>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, AnomalyStage>(sp => new AnomalyStage(
            sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Anomalies,
            sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Metrics.AllowedLateness,
            sp.GetRequiredService<HubMeter>(),
            Logger<AnomalyStage>(sp))));
        services.TryAddSingleton<ICorrelationStore>(_ => new InMemoryCorrelationStore());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, CorrelationStage>(sp => new CorrelationStage(
            sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value.Correlation,
            sp.GetRequiredService<ICorrelationStore>(),
            sp.GetRequiredService<HubMeter>(),
            sp.GetRequiredService<AlertDispatcher>())));
        services.TryAddSingleton<IAnalyticsHub>(sp => new DefaultAnalyticsHub(
            sp.GetRequiredService<IOptions<AnalyticsHubOptions>>().Value,
            sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<ITimeSeriesStore>(),
            sp.GetRequiredService<ICorrelationStore>(),
            sp.GetRequiredService<CompositeMetricRegistry>(),
            sp.GetServices<IIngestionStage>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<HubMeter>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AnalyticsHubHostedService>());
        services.TryAddSingleton(sp => new AnalyticsHubHealthCheck(sp.GetRequiredService<IAnalyticsHub>(), sp.GetRequiredService<IOptions<AnalyticsHubOptions>>()));
        return builder;
    }

    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<T>();

    /// <summary>Marks the collection as holding the hub, so a second registration is a no-op.</summary>
    private sealed class AnalyticsHubMarker;

    /// <summary>Reports every problem of the options in one message when they are first used.</summary>
    private sealed class AnalyticsHubOptionsValidator : IValidateOptions<AnalyticsHubOptions>
    {
        public ValidateOptionsResult Validate(string? name, AnalyticsHubOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
