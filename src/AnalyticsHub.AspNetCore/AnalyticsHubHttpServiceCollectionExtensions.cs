using AnalyticsHub.AspNetCore;
using AnalyticsHub.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the hub's HTTP API needs.</summary>
public static class AnalyticsHubHttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers the HTTP API's options (validated at start), the live-subscriber bound, and the hub's health check in
    /// ASP.NET Core's health checks (name and tag <c>analyticshub</c>, unless the host registered one of that name).
    /// </summary>
    /// <param name="services">The services; <c>AddAnalyticsHub</c> registers the hub itself.</param>
    /// <param name="configure">Sets the limits; the defaults when null.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddAnalyticsHubHttpApi(this IServiceCollection services, Action<AnalyticsHubHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AnalyticsHubHttpOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnalyticsHubHttpOptions>, HttpOptionsValidator>());
        options.ValidateOnStart();
        services.TryAddSingleton<StreamSubscriberGate>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHealthChecks();
        services.PostConfigure<HealthCheckServiceOptions>(health =>
        {
            if (!health.Registrations.Any(r => r.Name == "analyticshub"))
            {
                health.Registrations.Add(new HealthCheckRegistration(
                    "analyticshub",
                    sp => sp.GetRequiredService<AnalyticsHubHealthCheck>(),
                    failureStatus: null,
                    tags: ["analyticshub"]));
            }
        });
        return services;
    }

    /// <summary>Lists every invalid setting in one message.</summary>
    private sealed class HttpOptionsValidator : IValidateOptions<AnalyticsHubHttpOptions>
    {
        public ValidateOptionsResult Validate(string? name, AnalyticsHubHttpOptions options) =>
            options.Validate() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail("Invalid AnalyticsHub HTTP options: " + string.Join(" ", problems))
                : ValidateOptionsResult.Success;
    }
}
