using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using AnalyticsHub.Alerts;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Hosting;

/// <summary>
/// Returned by <c>AddAnalyticsHub</c>: the place where adapter packages (<c>.UsePostgreSql(...)</c>)
/// and hosts add stores and stages.
/// </summary>
public sealed class AnalyticsHubBuilder
{
    internal AnalyticsHubBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection the hub is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Adds a pipeline stage (registered once per type). It runs after the stages whose hand-offs it consumes and before
    /// those that consume its own; otherwise in registration order, after the built-in stages.
    /// </summary>
    public AnalyticsHubBuilder AddStage<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TStage>()
        where TStage : class, IIngestionStage
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestionStage, TStage>());
        return this;
    }

    /// <summary>
    /// Adds a receiver of the hub's alerts — incidents of the correlation stage (one per incident and severity step) and
    /// blocking violations of the policies stage — delivered off the ingestion path (see <see cref="IAlertSink"/>). The
    /// same instance is not added twice.
    /// </summary>
    public AnalyticsHubBuilder AddAlertSink(IAlertSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (!Services.Any(d => d.ServiceType == typeof(IAlertSink) && ReferenceEquals(d.ImplementationInstance, sink)))
        {
            Services.AddSingleton(sink);
        }

        return this;
    }
}
