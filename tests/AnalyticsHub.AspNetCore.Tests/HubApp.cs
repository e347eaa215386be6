using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.AspNetCore.Tests;

/// <summary>A web host on a TestServer with the hub and its HTTP API under /api/v1.</summary>
internal sealed class HubApp : IAsyncDisposable
{
    private HubApp(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri("http://localhost/api/v1/");
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public IAnalyticsHub Hub => App.Services.GetRequiredService<IAnalyticsHub>();

    public TestServer Server => App.GetTestServer();

    public static async Task<HubApp> StartAsync(
        Action<AnalyticsHubHttpOptions>? http = null,
        Action<AnalyticsHubOptions>? hub = null,
        Action<WebApplicationBuilder>? services = null,
        Action<WebApplication>? middleware = null,
        Action<AnalyticsHubRouteGroups>? groups = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        services?.Invoke(builder);
        builder.Services.AddAnalyticsHub(hub ?? (_ => { }));
        builder.Services.AddAnalyticsHubHttpApi(http);
        var app = builder.Build();
        app.UseWebSockets();
        middleware?.Invoke(app);
        var mapped = app.MapAnalyticsHub("/api/v1");
        groups?.Invoke(mapped);
        await app.StartAsync();
        return new HubApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static StringContent Ndjson(IEnumerable<string> lines) =>
        new(string.Join('\n', lines) + "\n", Encoding.UTF8, "application/x-ndjson");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostEventsAsync(HttpContent content)
    {
        var response = await Client.PostAsync("events", content);
        return (response, await BodyAsync(response));
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        return (response, await BodyAsync(response));
    }

    /// <summary>Asserts a 400 <c>validation_error</c> that names <paramref name="field"/>.</summary>
    public static void AssertNamesField(HttpResponseMessage response, JsonElement body, string field)
    {
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("validation_error", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("field_errors").TryGetProperty(field, out _), error.ToString());
    }

    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<ulong> StoredCountAsync() => await Hub.Events.CountAsync(new EventQuery());
}

/// <summary>Events as producers send them, with ids and times chosen by the test.</summary>
internal static class WireEvents
{
    /// <summary>Two hours ago, on a whole minute.</summary>
    public static readonly DateTimeOffset Base = OnTheMinute(DateTimeOffset.UtcNow.AddHours(-2));

    private static DateTimeOffset OnTheMinute(DateTimeOffset t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerMinute));

    public static Guid Id(int i) => new(string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{i:D12}"));

    public static string Latency(int i, string module = "llm-observatory", string model = "gpt-4o", double latencyMs = 100, Guid? correlation = null, Guid? parent = null, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? Base.AddSeconds(i)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var extra = (correlation is { } c ? $",\"correlation_id\":\"{c:D}\"" : string.Empty) + (parent is { } p ? $",\"parent_event_id\":\"{p:D}\"" : string.Empty);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"event_id\":\"{Id(i):D}\",\"timestamp\":\"{timestamp}\",\"source_module\":\"{module}\",\"event_type\":\"telemetry\",\"schema_version\":\"1.0.0\",\"severity\":\"info\",\"environment\":\"production\",\"tags\":{{\"team\":\"ml\"}}{extra},\"payload\":{{\"payload_type\":\"telemetry\",\"data\":{{\"telemetry_type\":\"latency\",\"model_id\":\"{model}\",\"request_id\":\"r{i}\",\"total_latency_ms\":{latencyMs},\"breakdown\":{{\"queue_time_ms\":1.0,\"processing_time_ms\":2.0,\"network_time_ms\":3.0,\"other_ms\":0.0}}}}}}}}");
    }

    /// <summary>A latency event whose timestamp has no zone: invalid at <c>timestamp</c>.</summary>
    public static string WithoutZone(int i) => Latency(i).Replace("Z\",\"source_module", "\",\"source_module", StringComparison.Ordinal);
}
