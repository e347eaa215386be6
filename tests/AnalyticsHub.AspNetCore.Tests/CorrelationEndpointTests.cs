using System.Net;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.AspNetCore.Tests;

public sealed class CorrelationEndpointTests
{
    private static EventCorrelation Incident(int id, double strength, CorrelationType type, SourceModule rootModule, params int[] members) => new()
    {
        CorrelationId = WireEvents.Id(1000 + id),
        CorrelationType = type,
        CorrelationTypes = [type],
        Events = [.. members.Select((m, i) => new CorrelatedEvent
        {
            EventId = WireEvents.Id(m),
            SourceModule = i == 0 ? rootModule : SourceModule.LlmObservatory,
            EventType = EventType.Telemetry,
            Severity = Severity.Warning,
            Timestamp = WireEvents.Base.AddMinutes(i),
            Role = i == 0 ? EventRole.RootCause : EventRole.Effect,
            Summary = "member " + m,
        })],
        Strength = strength,
        Confidence = 0.8,
        TimeWindow = new TimeRange(WireEvents.Base, WireEvents.Base.AddMinutes(members.Length)),
        DetectedAt = WireEvents.Base.AddMinutes(members.Length),
    };

    private static async Task<HubApp> WithIncidentsAsync()
    {
        var app = await HubApp.StartAsync();
        await app.Hub.Correlations.WriteAsync(Incident(1, 0.9, CorrelationType.CausalChain, SourceModule.LlmRegistry, 1, 2, 3));
        await app.Hub.Correlations.WriteAsync(Incident(2, 0.75, CorrelationType.CostImpact, SourceModule.LlmCostOps, 3, 4));
        await app.Hub.Correlations.WriteAsync(Incident(3, 0.5, CorrelationType.Temporal, SourceModule.LlmSentinel, 5, 6));
        return app;
    }

    private static string[] Ids(System.Text.Json.JsonElement body) =>
        [.. body.GetProperty("data").GetProperty("correlations").EnumerateArray().Select(c => c.GetProperty("correlation_id").GetString()!)];

    [Fact]
    public async Task GetCorrelations_Defaults_TheLastHourAboveStrength07()
    {
        await using var app = await WithIncidentsAsync();

        var (response, body) = await app.GetAsync("correlations");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([WireEvents.Id(1001).ToString(), WireEvents.Id(1002).ToString()], Ids(body));
        Assert.False(body.GetProperty("data").GetProperty("truncated").GetBoolean());
        Assert.Equal("causal_chain", body.GetProperty("data").GetProperty("correlations")[0].GetProperty("correlation_type").GetString());
    }

    [Fact]
    public async Task GetCorrelations_FiltersFromTheQueryString()
    {
        await using var app = await WithIncidentsAsync();

        var (_, strong) = await app.GetAsync("correlations?min_strength=0.8&time_window_minutes=60");
        var (_, byType) = await app.GetAsync("correlations?correlation_types=cost_impact,temporal&min_strength=0");
        var (_, byModule) = await app.GetAsync("correlations?include_modules=llm-registry&include_modules=llm-sentinel&min_strength=0");

        Assert.Equal([WireEvents.Id(1001).ToString()], Ids(strong));
        Assert.Equal([WireEvents.Id(1002).ToString(), WireEvents.Id(1003).ToString()], Ids(byType));
        Assert.Equal([WireEvents.Id(1001).ToString(), WireEvents.Id(1003).ToString()], Ids(byModule));
    }

    [Fact]
    public async Task GetCorrelations_BySeedEvent_FollowsSharedMembersToMaxDepth()
    {
        await using var app = await WithIncidentsAsync();

        var (_, depth1) = await app.GetAsync($"correlations?seed_event_id={WireEvents.Id(1)}&max_depth=1");
        var (_, depth2) = await app.GetAsync($"correlations?seed_event_id={WireEvents.Id(1)}&max_depth=2");

        Assert.Equal([WireEvents.Id(1001).ToString()], Ids(depth1));
        Assert.Equal([WireEvents.Id(1001).ToString(), WireEvents.Id(1002).ToString()], Ids(depth2));
    }

    [Theory]
    [InlineData("correlations?min_strength=1.5", "min_strength")]
    [InlineData("correlations?min_strength=high", "min_strength")]
    [InlineData("correlations?time_window_minutes=0", "time_window_minutes")]
    [InlineData("correlations?max_depth=-1", "max_depth")]
    [InlineData("correlations?max_depth=99", "max_depth")]
    [InlineData("correlations?seed_event_id=nope", "seed_event_id")]
    [InlineData("correlations?correlation_types=causal_chain,Temporal2", "correlation_types[1]")]
    [InlineData("correlations?include_modules=llm-nowhere", "include_modules[0]")]
    [InlineData("correlations?min_strenght=0.8", "min_strenght")]
    [InlineData("correlations?max_depth=2&max_depth=3", "max_depth")]
    public async Task GetCorrelations_BadParameter_Is400NamingIt(string path, string field)
    {
        await using var app = await WithIncidentsAsync();

        var (response, body) = await app.GetAsync(path);

        HubApp.AssertNamesField(response, body, field);
    }

    [Fact]
    public async Task GetCorrelation_ById_ReturnsTheIncident()
    {
        await using var app = await WithIncidentsAsync();

        var (response, body) = await app.GetAsync($"correlations/{WireEvents.Id(1001)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = body.GetProperty("data");
        Assert.Equal(WireEvents.Id(1001).ToString(), data.GetProperty("correlation_id").GetString());
        Assert.Equal(3, data.GetProperty("events").GetArrayLength());
        Assert.Equal("root_cause", data.GetProperty("events")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task GetCorrelationGraph_NodesAreTheMembers_LinksTheEdges_UnknownIs404_MalformedIs400()
    {
        await using var app = await HubApp.StartAsync();
        var incident = Incident(1, 0.9, CorrelationType.CausalChain, SourceModule.LlmRegistry, 1, 2, 3) with
        {
            CausalLinks =
            [
                new CausalLink { FromEventId = WireEvents.Id(1), ToEventId = WireEvents.Id(2), Relationship = CausalRelationship.DirectCause, Strength = 0.9, TimeDeltaMs = 60_000 },
                new CausalLink { FromEventId = WireEvents.Id(2), ToEventId = WireEvents.Id(3), Relationship = CausalRelationship.Amplification, Strength = 0.7, TimeDeltaMs = 60_000 },
            ],
        };
        await app.Hub.Correlations.WriteAsync(incident);

        var (response, body) = await app.GetAsync($"correlations/{WireEvents.Id(1001)}/graph");
        var (missing, _) = await app.GetAsync($"correlations/{WireEvents.Id(4242)}/graph");
        var (malformed, bad) = await app.GetAsync("correlations/not-a-uuid/graph");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var graph = body.GetProperty("data");
        Assert.Equal(WireEvents.Id(1001).ToString(), graph.GetProperty("graph_id").GetString());
        Assert.Equal([WireEvents.Id(1).ToString(), WireEvents.Id(2).ToString(), WireEvents.Id(3).ToString()], graph.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("event_id").GetString()));
        Assert.Equal(["causes", "amplifies"], graph.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("relationship_type").GetString()));
        var metadata = graph.GetProperty("metadata");
        Assert.Equal((3, 2, 1), (metadata.GetProperty("node_count").GetInt32(), metadata.GetProperty("edge_count").GetInt32(), metadata.GetProperty("connected_components").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        HubApp.AssertNamesField(malformed, bad, "id");
    }

    [Fact]
    public async Task GetCorrelation_UnknownOrMalformedId_Is404Or400()
    {
        await using var app = await WithIncidentsAsync();

        var (missing, _) = await app.GetAsync($"correlations/{WireEvents.Id(4242)}");
        var (malformed, body) = await app.GetAsync("correlations/not-a-uuid");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.True(body.GetProperty("error").GetProperty("field_errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task QueryCorrelationGraph_MergesTheAnsweredIncidents_TraversesFromTheSeed_BadParameterIs400()
    {
        await using var app = await HubApp.StartAsync();
        static CausalLink Link(int from, int to) => new() { FromEventId = WireEvents.Id(from), ToEventId = WireEvents.Id(to), Relationship = CausalRelationship.DirectCause, Strength = 0.8, TimeDeltaMs = 60_000 };
        await app.Hub.Correlations.WriteAsync(Incident(1, 0.9, CorrelationType.CausalChain, SourceModule.LlmRegistry, 1, 2, 3) with { CausalLinks = [Link(1, 2), Link(2, 3)] });
        await app.Hub.Correlations.WriteAsync(Incident(2, 0.75, CorrelationType.CostImpact, SourceModule.LlmCostOps, 3, 4) with { CausalLinks = [Link(3, 4)] });
        await app.Hub.Correlations.WriteAsync(Incident(3, 0.5, CorrelationType.Temporal, SourceModule.LlmSentinel, 5, 6) with { CausalLinks = [Link(5, 6)] });

        var (response, body) = await app.GetAsync("correlations/graph?min_strength=0");
        var (_, seeded) = await app.GetAsync($"correlations/graph?seed_event_id={WireEvents.Id(1)}&max_depth=2&min_strength=0");
        var (bad, error) = await app.GetAsync("correlations/graph?max_depth=99");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var graph = body.GetProperty("data");
        var metadata = graph.GetProperty("metadata");
        // Six members (event 3 shared by the first two incidents), four links, two components.
        Assert.Equal((6, 4, 2), (metadata.GetProperty("node_count").GetInt32(), metadata.GetProperty("edge_count").GetInt32(), metadata.GetProperty("connected_components").GetInt32()));
        var shared = graph.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("event_id").GetString() == WireEvents.Id(3).ToString());
        Assert.Equal($"{WireEvents.Id(1001)},{WireEvents.Id(1002)}", shared.GetProperty("attributes").GetProperty("correlation_ids").GetString());
        Assert.Equal(
            [(WireEvents.Id(1).ToString(), "0"), (WireEvents.Id(2).ToString(), "1"), (WireEvents.Id(3).ToString(), "2")],
            seeded.GetProperty("data").GetProperty("nodes").EnumerateArray().Select(n => (n.GetProperty("event_id").GetString(), n.GetProperty("attributes").GetProperty("depth").GetString())).OrderBy(n => n.Item2));
        HubApp.AssertNamesField(bad, error, "max_depth");
    }
}
