using System.Text.Json;
using System.Threading.RateLimiting;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metadata;
using Microsoft.AspNetCore.Authentication;

namespace AnalyticsHub.Samples.WebHost;

/// <summary>The sample web host: the hub's HTTP API under /api/v1, its dashboard under /hub, and an optional replay of the simulator's traffic.</summary>
public static class SampleApp
{
    /// <summary>Builds the host from the command line and configuration (appsettings.json, the environment).</summary>
    /// <param name="args">The command line: <c>--urls</c>, <c>--replay easy|medium|hard|scenario.json</c>, any configuration key.</param>
    /// <returns>The host, not started.</returns>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--replay"] = "Replay:Scenario" });
        builder.Services.AddAnalyticsHub(builder.Configuration.GetSection("AnalyticsHub"));
        builder.Services.AddAnalyticsHubHttpApi(options =>
        {
            options.MaxRequestBodySize = builder.Configuration.GetValue("AnalyticsHubHttp:MaxRequestBodySize", options.MaxRequestBodySize);
        });
        var scenario = builder.Configuration["Replay:Scenario"];
        if (!string.IsNullOrWhiteSpace(scenario))
        {
            builder.Services.AddSingleton(sp => new SimulatorReplay(scenario) { Hub = sp.GetRequiredService<IAnalyticsHub>() });
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SimulatorReplay>());
        }

        var keys = builder.Configuration.GetSection("ApiKeys").Get<ApiKeyOptions>() ?? new ApiKeyOptions();
        builder.Services.AddSingleton(keys);
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("ingest", p => p.RequireRole("ingest"))
            .AddPolicy("read", p => p.RequireRole("read", "ingest"))
            .AddPolicy("admin", p => p.RequireRole("admin"));

        // Per client address: 6,000 ingest requests a minute (a generous bound: the loopback load generator stays below it), queued up to 8.
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy("ingest", context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 6_000, Window = TimeSpan.FromMinutes(1), QueueLimit = 8 }));
        });

        var app = builder.Build();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        var api = app.MapAnalyticsHub("/api/v1");
        api.Ingest.RequireRateLimiting("ingest");
        // The dashboard reads the API from the browser, which sends no API key: it is mapped only when the API is open.
        if (keys.Enabled)
        {
            api.Ingest.RequireAuthorization("ingest");
            api.Read.RequireAuthorization("read");
            api.Admin.RequireAuthorization("admin");
        }
        else
        {
            app.MapAnalyticsHubDashboard("/hub", o => o.ApiBasePath = "/api/v1");
            app.MapGet("/", () => Results.Redirect("/hub")).ExcludeFromDescription();
            SaveSampleDashboard(app.Services.GetRequiredService<MetadataRegistry>());
        }

        return app;
    }

    /// <summary>Stores the sample's saved dashboard (sample-dashboard.json, a <c>DashboardConfig</c>) in the metadata registry.</summary>
    private static void SaveSampleDashboard(MetadataRegistry registry)
    {
        using var stream = typeof(SampleApp).Assembly.GetManifestResourceStream("sample-dashboard.json")
            ?? throw new InvalidOperationException("sample-dashboard.json is missing from the sample's resources.");
        var dashboard = JsonSerializer.Deserialize(stream, MetadataJsonContext.Default.DashboardConfig)!;
        var saved = registry.Dashboards.CreateAsync(dashboard).AsTask().GetAwaiter().GetResult();
        if (!saved.IsSuccess)
        {
            throw new InvalidOperationException("The sample dashboard is refused: " + string.Join("; ", saved.Problems.Select(p => p.Path + ": " + p.Message)));
        }
    }
}
