using System.Collections;
using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.Cost;
using AnalyticsHub.Hosting;
using AnalyticsHub.TimeSeries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.AspNetCore;

/// <summary><c>GET /health</c>, <c>/stats</c>, <c>/budgets</c> and <c>POST /admin/retention</c>.</summary>
internal static class StatusEndpoints
{
    /// <summary>The name and tag of the hub's health check registration.</summary>
    public const string HealthCheckName = "analyticshub";

    public static void MapHealth(RouteGroupBuilder all) =>
        all.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = r => r.Name == HealthCheckName || r.Tags.Contains(HealthCheckName),
            ResponseWriter = WriteHealthAsync,
        })
        .WithOperationId("Health")
        .WithSummary("The hub's health check: 200 when healthy or degraded, 503 when unhealthy, with the figures it judged.")
        .WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(ApiResponse<HealthReportBody>), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ApiResponse<HealthReportBody>), ["application/json"]));

    public static void MapRead(RouteGroupBuilder read)
    {
        read.MapGet("/stats", StatsAsync)
            .WithOperationId("Statistics")
            .WithSummary("Ingestion counters, the queue, health and live subscribers.")
            .Produces<ApiResponse<HubStatusReport>>();
        read.MapGet("/budgets", Budgets)
            .WithOperationId("Budgets")
            .WithSummary("Each budget's latest period: spend, thresholds crossed, forecast.")
            .Produces<ApiResponse<IReadOnlyList<BudgetState>>>();
    }

    public static void MapAdmin(RouteGroupBuilder admin) =>
        admin.MapPost("/admin/retention", RetentionAsync)
            .WithOperationId("ApplyRetention")
            .WithSummary("Applies the time-series retention policy now.")
            .Produces<ApiResponse<RetentionResult>>();

    private static async Task<IResult> StatsAsync(
        HttpContext context,
        IAnalyticsHub hub,
        AnalyticsHubHealthCheck health,
        IOptions<AnalyticsHubOptions> hubOptions,
        StreamSubscriberGate gate,
        IOptions<AnalyticsHubHttpOptions> options,
        TimeProvider clock)
    {
        var check = await health.CheckHealthAsync(new HealthCheckContext(), context.RequestAborted).ConfigureAwait(false);
        var report = new HubStatusReport
        {
            Running = hub.IsRunning,
            Health = StatusName(check.Status),
            HealthDescription = check.Description,
            QueueCapacity = hubOptions.Value.Ingestion.QueueCapacity,
            Ingestion = hub.Statistics,
            StreamSubscribers = gate.Count,
            MaxStreamSubscribers = options.Value.MaxStreamSubscribers,
        };
        return ApiResults.Success(report, HttpApiJsonContext.Canonical.HubStatusReport, clock);
    }

    private static IResult Budgets(ICostMonitor costs, TimeProvider clock) =>
        ApiResults.Success(costs.GetBudgetStates(), HttpApiJsonContext.Canonical.IReadOnlyListBudgetState, clock);

    private static async Task<IResult> RetentionAsync(HttpContext context, IAnalyticsHub hub, TimeProvider clock) =>
        ApiResults.Success(await hub.ApplyRetentionAsync(context.RequestAborted).ConfigureAwait(false), HttpApiJsonContext.Canonical.RetentionResult, clock);

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        var clock = context.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var checks = new List<HealthCheckBody>(report.Entries.Count);
        foreach (var (name, entry) in report.Entries)
        {
            checks.Add(new HealthCheckBody
            {
                Name = name,
                Status = StatusName(entry.Status),
                Description = entry.Description,
                Data = entry.Data.Count == 0 ? null : entry.Data.ToDictionary(p => p.Key, p => ToJson(p.Value), StringComparer.Ordinal),
            });
        }

        var body = new HealthReportBody { Status = StatusName(report.Status), DurationMs = report.TotalDuration.TotalMilliseconds, Checks = checks };
        var response = ApiResponse.Success(JsonSerializer.SerializeToElement(body, HttpApiJsonContext.Canonical.HealthReportBody), clock);
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, response, ApiJsonContext.Canonical.ApiResponseJsonElement, context.RequestAborted);
    }

    internal static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    /// <summary>A health-check figure as JSON: numbers, text, flags and lists of text, as the hub's check reports them.</summary>
    private static JsonElement ToJson(object? value) => value switch
    {
        null => JsonSerializer.SerializeToElement<string?>(null, HttpApiJsonContext.Default.String),
        string text => JsonSerializer.SerializeToElement(text, HttpApiJsonContext.Default.String),
        bool flag => JsonSerializer.SerializeToElement(flag, HttpApiJsonContext.Default.Boolean),
        int number => JsonSerializer.SerializeToElement(number, HttpApiJsonContext.Default.Int32),
        long number => JsonSerializer.SerializeToElement(number, HttpApiJsonContext.Default.Int64),
        double number => JsonSerializer.SerializeToElement(number, HttpApiJsonContext.Default.Double),
        IEnumerable<string> texts => JsonSerializer.SerializeToElement<IReadOnlyList<string>>([.. texts], HttpApiJsonContext.Default.IReadOnlyListString),
        IEnumerable items => JsonSerializer.SerializeToElement<IReadOnlyList<string>>([.. items.Cast<object?>().Select(i => Convert.ToString(i, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)], HttpApiJsonContext.Default.IReadOnlyListString),
        _ => JsonSerializer.SerializeToElement(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), HttpApiJsonContext.Default.String),
    };
}
