using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.AspNetCore.Tests;

/// <summary>
/// GET /openapi.json: the document lists every mapped route, its AnalyticsEvent schema (built from the payload catalog)
/// accepts every golden event and rejects broken ones exactly when the hub does, and real responses validate against
/// their operations' schemas. Validation is JsonSchema.Net's (draft 2020-12, the dialect of OpenAPI 3.1).
/// </summary>
public sealed class OpenApiDocumentTests
{
    private const string Prefix = "/api/v1";

    public static TheoryData<string> GoldenNames => [.. GoldenEvents.All.Select(g => g.Name)];

    /// <summary>Broken events: each breaks one rule the schema states (enum, required field, type, range, variant).</summary>
    public static TheoryData<string, string> Mutations => new()
    {
        { "unknown severity", Mutate(GoldenEvents.Throughput, j => j["severity"] = "loud") },
        { "unknown threat level", Mutate(GoldenEvents.ThreatWithKnownType, j => Data(j)["threat_level"] = "severe") },
        { "unknown source module", Mutate(GoldenEvents.Auth, j => j["source_module"] = "llm-elsewhere") },
        { "environment missing", Mutate(GoldenEvents.Throughput, j => j.Remove("environment")) },
        { "payload missing", Mutate(GoldenEvents.Throughput, j => j.Remove("payload")) },
        { "model_id missing", Mutate(GoldenEvents.Throughput, j => Data(j).Remove("model_id")) },
        { "finding status missing", Mutate(GoldenEvents.ComplianceCheckWithFindings, j => ((JsonObject)Data(j)["findings"]![0]!).Remove("status")) },
        { "latency as text", Mutate(GoldenEvents.SpecSection13Example, j => Data(j)["total_latency_ms"] = "fast") },
        { "tokens negative", Mutate(GoldenEvents.TokenUsageWithoutAdditiveFields, j => Data(j)["prompt_tokens"] = -1) },
        { "tokens fractional", Mutate(GoldenEvents.TokenUsageWithoutAdditiveFields, j => Data(j)["completion_tokens"] = 1.5) },
        { "percent above 100", Mutate(GoldenEvents.ErrorRate, j => Data(j)["error_rate_percent"] = 101) },
        { "success as text", Mutate(GoldenEvents.Auth, j => Data(j)["success"] = "yes") },
        { "tags not text", Mutate(GoldenEvents.Throughput, j => j["tags"] = new JsonObject { ["team"] = 7 }) },
        { "timestamp not text", Mutate(GoldenEvents.Throughput, j => j["timestamp"] = 1_700_000_000) },
        { "empty model_id", Mutate(GoldenEvents.Throughput, j => Data(j)["model_id"] = "") },
        { "variant of another family", Mutate(GoldenEvents.Throughput, j => ((JsonObject)j["payload"]!)["payload_type"] = "security") },
        { "other without a name", Mutate(GoldenEvents.ThreatWithOtherObject, j => Data(j)["threat_type"] = new JsonObject { ["kind"] = "x" }) },
    };

    [Fact]
    public async Task OpenApi_ListsEveryMappedRouteOnce()
    {
        await using var app = await HubApp.StartAsync();
        var document = await DocumentAsync(app);

        var mapped = app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith(Prefix, StringComparison.Ordinal) && !e.RoutePattern.RawText.EndsWith("/openapi.json", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m.ToLowerInvariant()} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key} {p.Key}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(mapped, documented);
        Assert.Contains("post /api/v1/events", documented);
        Assert.Contains("get /api/v1/health", documented);
        Assert.Contains("get /api/v1/correlations/{id}", documented);
        Assert.Contains("post /api/v1/metrics", documented);
        Assert.Contains("get /api/v1/dashboards/{id}", documented);
        Assert.Contains("get /api/v1/correlations/graph", documented);
        Assert.Contains("get /api/v1/correlations/stream", documented);
        Assert.Equal(21, documented.Count);
        Assert.Equal("3.1.1", document["openapi"]!.GetValue<string>());
        foreach (var (_, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.False(string.IsNullOrEmpty(operation!["operationId"]?.GetValue<string>()), method);
                Assert.NotEmpty(operation["responses"]!.AsObject());
            }
        }
    }

    [Fact]
    public async Task MapAnalyticsHub_UnderTwoPrefixes_BothServe_EachDocumentListsItsOwn()
    {
        await using var app = await HubApp.StartAsync(middleware: a => a.MapAnalyticsHub("/internal"));

        var (posted, _) = await app.PostEventsAsync(HubApp.Json(WireEvents.Latency(1)));
        var viaSecond = await app.Client.GetAsync("/internal/events/" + WireEvents.Id(1));
        var first = JsonNode.Parse(await app.Client.GetStringAsync("openapi.json"))!["paths"]!.AsObject().Select(p => p.Key).ToList();
        var second = JsonNode.Parse(await app.Client.GetStringAsync("/internal/openapi.json"))!["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaSecond.StatusCode);
        Assert.All(first, path => Assert.StartsWith("/api/v1/", path, StringComparison.Ordinal));
        Assert.All(second, path => Assert.StartsWith("/internal/", path, StringComparison.Ordinal));
        Assert.Equal(first.Select(p => p["/api/v1".Length..]), second.Select(p => p["/internal".Length..]));
    }

    [Fact]
    public async Task OpenApi_EventEndpoints_DeclareTheirParameters()
    {
        await using var app = await HubApp.StartAsync();
        var document = await DocumentAsync(app);

        Assert.Equal(EventQueryString.Parameters, ParameterNames(document, "/api/v1/events", "get", "query"));
        Assert.Equal(["id"], ParameterNames(document, "/api/v1/events/{id}", "get", "path"));
        Assert.Contains("last_event_id", ParameterNames(document, "/api/v1/stream", "get", "query"));
        Assert.DoesNotContain("cursor", ParameterNames(document, "/api/v1/stream", "get", "query"));
        Assert.Contains("bucket_seconds", ParameterNames(document, "/api/v1/events/rate", "get", "query"));
        var ingest = document["paths"]!["/api/v1/events"]!["post"]!["requestBody"]!["content"]!;
        Assert.Equal("#/components/schemas/AnalyticsEvent", ingest["application/x-ndjson"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(ingest["application/json"]!["schema"]!["anyOf"]);
    }

    [Fact]
    public async Task OpenApi_PayloadSchema_HasOneBranchPerVariant()
    {
        await using var app = await HubApp.StartAsync();
        var document = await DocumentAsync(app);

        var branches = document["components"]!["schemas"]!["EventPayload"]!["oneOf"]!.AsArray();
        var expected = Enum.GetValues<TelemetryType>().Length + Enum.GetValues<SecurityType>().Length
            + Enum.GetValues<CostType>().Length + Enum.GetValues<GovernanceType>().Length + 1;
        Assert.Equal(expected, branches.Count);
        Assert.Contains(branches, b => b!["title"]!.GetValue<string>() == "governance/compliance_check");
        Assert.Contains(branches, b => b!["title"]!.GetValue<string>() == "custom/custom");
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public async Task AnalyticsEvent_GoldenEvent_ValidatesAndTheHubStoresIt(string name)
    {
        var json = GoldenEvents.All.Single(g => g.Name == name).Json;
        await using var app = await HubApp.StartAsync();
        var schema = EventSchema(await DocumentAsync(app));

        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, Describe(result));
        var (response, body) = await app.PostEventsAsync(HubApp.Json(JsonNode.Parse(json)!.ToJsonString()));
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal(1, body.GetProperty("data").GetProperty("success_count").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task AnalyticsEvent_MutatedEvent_FailsValidationAndTheHubRejectsIt(string mutation, string json)
    {
        await using var app = await HubApp.StartAsync();
        var schema = EventSchema(await DocumentAsync(app));

        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement);

        Assert.False(result.IsValid, mutation);
        var (response, body) = await app.PostEventsAsync(HubApp.Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, body.GetProperty("data").GetProperty("success_count").GetInt32());
    }

    [Theory]
    [InlineData("stats", "/api/v1/stats", 200)]
    [InlineData("budgets", "/api/v1/budgets", 200)]
    [InlineData("health", "/api/v1/health", 200)]
    [InlineData("events?per_page=5", "/api/v1/events", 200)]
    [InlineData("events/00000000-0000-4000-8000-000000000001", "/api/v1/events/{id}", 200)]
    [InlineData("events/00000000-0000-4000-8000-000000000009", "/api/v1/events/{id}", 404)]
    [InlineData("events?per_page=0", "/api/v1/events", 400)]
    [InlineData("events/rate", "/api/v1/events/rate", 200)]
    public async Task Response_ValidatesAgainstItsOperationSchema(string request, string path, int status)
    {
        await using var app = await HubApp.StartAsync(hub: o => o.Cost.Budgets.Add(new Cost.BudgetDefinition { Id = "b1", Name = "Team ML", Period = Cost.BudgetPeriod.Month, LimitUsd = 100 }));
        await app.PostEventsAsync(HubApp.Ndjson([WireEvents.Latency(1), WireEvents.Latency(2)]));
        await app.Hub.FlushAsync();
        var document = await DocumentAsync(app);

        var (response, body) = await app.GetAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        var declared = document["paths"]![path]!["get"]!["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["content"]!["application/json"]!["schema"]!;
        var result = SchemaOf(document, declared).Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, Describe(result) + body);
    }

    private static async Task<JsonObject> DocumentAsync(HubApp app)
    {
        var response = await app.Client.GetAsync("openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static JsonSchema EventSchema(JsonObject document) =>
        SchemaOf(document, new JsonObject { ["$ref"] = "#/components/schemas/AnalyticsEvent" });

    /// <summary>A standalone 2020-12 schema: <paramref name="root"/> with the document's component schemas as its $defs.</summary>
    private static JsonSchema SchemaOf(JsonObject document, JsonNode root)
    {
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://analyticshub.test/{Guid.NewGuid():N}",
            ["$defs"] = document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(root.DeepClone()),
        };
        var text = schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text);
    }

    private static string[] ParameterNames(JsonObject document, string path, string method, string location) =>
        [.. document["paths"]![path]![method]!["parameters"]!.AsArray()
            .Where(p => p!["in"]!.GetValue<string>() == location)
            .Select(p => p!["name"]!.GetValue<string>())];

    private static string Mutate(string json, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    private static JsonObject Data(JsonObject evt) => evt["payload"]!["data"]!.AsObject();

    private static string Describe(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")));
}
