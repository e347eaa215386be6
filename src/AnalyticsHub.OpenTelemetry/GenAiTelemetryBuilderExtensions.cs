using System.Diagnostics.Metrics;
using AnalyticsHub.Hosting;
using AnalyticsHub.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the OpenTelemetry GenAI bridge to the hub.</summary>
public static class GenAiTelemetryBuilderExtensions
{
    /// <summary>
    /// Feeds the hub from the GenAI spans of Microsoft.Extensions.AI, the OpenAI SDK and Semantic Kernel (each with its
    /// own telemetry switched on; see docs/opentelemetry.md). Registering twice adds the bridge once.
    /// </summary>
    /// <param name="builder">The hub's builder, from <c>AddAnalyticsHub</c>.</param>
    /// <param name="configure">Sets the options; the defaults listen to the three emitters' default sources.</param>
    /// <remarks>
    /// Registers <see cref="GenAiTelemetryBridge"/> and a hosted service that starts it after the hub. Without a generic
    /// host, resolve the bridge and call <see cref="GenAiTelemetryBridge.StartAsync"/>. The options are validated when
    /// the host starts (every problem in one message) or, without a host, when the bridge is resolved.
    /// </remarks>
    public static AnalyticsHubBuilder AddGenAiTelemetry(this AnalyticsHubBuilder builder, Action<GenAiTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(static d => d.ServiceType == typeof(GenAiTelemetryBridge)))
        {
            return builder;
        }

        services.AddOptions<GenAiTelemetryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GenAiTelemetryOptions>, GenAiTelemetryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(static sp => new GenAiTelemetryBridge(
            sp.GetRequiredService<IOptions<GenAiTelemetryOptions>>().Value,
            sp.GetRequiredService<IAnalyticsHub>(),
            sp.GetRequiredService<TimeProvider>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<GenAiTelemetryBridge>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GenAiTelemetryHostedService>());
        return builder;
    }

    /// <summary>
    /// Exports the events the hub derives as spans on the source <c>AnalyticsHub.Signals</c>
    /// (<see cref="HubSignalSpans.SourceName"/>), each linked to its trigger. Registering twice adds it once.
    /// </summary>
    /// <param name="builder">The hub's builder, from <c>AddAnalyticsHub</c>.</param>
    /// <param name="excludedSubtypes">
    /// Derived subtypes that get no span; by default <c>token_cost</c>, one per priced call, whose numbers the call's own
    /// span already carries.
    /// </param>
    /// <remarks>Without a generic host, resolve <see cref="HubSignalSpans"/> and call <see cref="HubSignalSpans.StartAsync"/>.</remarks>
    public static AnalyticsHubBuilder AddHubSignalSpans(this AnalyticsHubBuilder builder, IEnumerable<string>? excludedSubtypes = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var excluded = excludedSubtypes?.ToArray() ?? ["token_cost"];
        builder.Services.TryAddSingleton(sp => new HubSignalSpans(sp.GetRequiredService<IAnalyticsHub>(), excluded));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HubSignalSpansHostedService>());
        return builder;
    }

    /// <summary>Reports every problem of the options in one message when the host starts.</summary>
    private sealed class GenAiTelemetryOptionsValidator : IValidateOptions<GenAiTelemetryOptions>
    {
        public ValidateOptionsResult Validate(string? name, GenAiTelemetryOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
