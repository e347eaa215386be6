using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Tests.TimeSeries;

public class PointExtractorTests
{
    private static readonly Dictionary<string, string> Measurements = new()
    {
        ["latency"] = "llm_latency",
        ["throughput"] = "llm_throughput",
        ["error_rate"] = "llm_error_rate",
        ["token_usage"] = "llm_token_usage",
        ["model_performance"] = "llm_model_performance",
        ["threat"] = "security_threat",
        ["vulnerability"] = "security_vulnerability",
        ["compliance_violation"] = "security_compliance_violation",
        ["auth"] = "security_auth",
        ["privacy"] = "security_privacy",
        ["token_cost"] = "cost_token",
        ["api_cost"] = "cost_api",
        ["resource_consumption"] = "cost_resource",
        ["budget_alert"] = "cost_budget_alert",
        ["policy_violation"] = "governance_policy_violation",
        ["audit_trail"] = "governance_audit_trail",
        ["compliance_check"] = "governance_compliance_check",
        ["data_lineage"] = "governance_data_lineage",
        ["note"] = "custom",
    };

    public static TheoryData<EventPayload> Payloads()
    {
        var data = new TheoryData<EventPayload>();
        foreach (var payload in SampleEvents.AllPayloads())
        {
            data.Add(payload);
        }

        return data;
    }

    [Fact]
    public void Extract_SampleEvents_CoverEveryPayloadKind() =>
        Assert.Equal(Measurements.Count, SampleEvents.AllPayloads().Select(p => p.Subtype).Distinct().Count());

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Extract_EveryPayloadKind_MeasurementTagsFieldsAndStorable(EventPayload payload)
    {
        var analyticsEvent = SampleEvents.Event(payload) with
        {
            Common = SampleEvents.Event(payload).Common with { Tags = new Dictionary<string, string> { ["region"] = "eu-west-1", ["tenant"] = "t1", ["request_id"] = "r9" } },
        };

        var point = PointExtractor.Extract(analyticsEvent);

        Assert.Equal(Measurements[payload.Subtype], point.Measurement);
        Assert.Equal(analyticsEvent.Timestamp, point.Timestamp);
        Assert.Equal("llm-observatory", point.Tags.SourceModule);
        Assert.Equal("production", point.Tags.Environment);
        Assert.Equal("eu-west-1", point.Tags.Region);
        Assert.Equal("t1", point.Tags.Custom["tenant"]);
        Assert.False(point.Tags.Custom.ContainsKey("request_id"));
        Assert.NotEmpty(point.Fields);
        Assert.All(point.Fields.Values, v => Assert.True(v.IsNumeric));
        var store = new InMemoryTimeSeriesStore();
        Assert.True((await store.WritePointsAsync([point])).IsSuccess);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public void Extract_AnyEventTags_CopiesWhatLookingUpRegionServiceVersionTenantFinds(int seed)
    {
        // The extractor reads an ordinal map's tags in one pass; whatever the map (its comparer, its size, other keys,
        // keys differing only in case, a wrapper), the point's tags are those a lookup of each copied key finds.
        var random = new Random(seed);
        string[] keys = ["region", "service", "version", "tenant", "Region", "TENANT", "request_id", "team", "zone", "x1", "x2", "x3", "x4", "x5"];
        IEqualityComparer<string> comparer = random.Next(3) switch
        {
            0 => StringComparer.Ordinal,
            1 => EqualityComparer<string>.Default,
            _ => StringComparer.OrdinalIgnoreCase,
        };
        var map = new Dictionary<string, string>(comparer);
        foreach (var key in keys.Where(_ => random.Next(3) != 0))
        {
            map.TryAdd(key, key + "-" + random.Next(3));
        }

        IReadOnlyDictionary<string, string> tags = random.Next(4) == 0 ? new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(map) : map;
        var evt = SampleEvents.Event(SampleEvents.Latency);
        var point = PointExtractor.Extract(evt with { Common = evt.Common with { Tags = tags } });

        Assert.Equal(tags.TryGetValue("region", out var region) ? region : null, point.Tags.Region);
        Assert.Equal(tags.TryGetValue("service", out var service) ? service : null, point.Tags.Service);
        Assert.Equal(tags.TryGetValue("version", out var version) ? version : null, point.Tags.Version);
        Assert.Equal(tags.TryGetValue("tenant", out var tenant), point.Tags.Custom.TryGetValue("tenant", out var copied));
        Assert.Equal(tenant, copied);
        Assert.Equal(tenant is null ? 0 : 1, point.Tags.Custom.Count);
    }

    [Fact]
    public void Extract_Latency_FieldsAndModelTag()
    {
        var point = PointExtractor.Extract(SampleEvents.Event(SampleEvents.Latency));

        Assert.Equal("gpt-4o", point.Tags.ModelId);
        Assert.Equal(812.5, point.Fields.LatencyMs);
        Assert.Equal(FieldValue.FromDouble(120), point.Fields["ttft_ms"]);
        Assert.Equal(FieldValue.FromDouble(800), point.Fields["processing_time_ms"]);
        Assert.False(point.Fields.ContainsKey("tokens_per_second"));
    }

    [Fact]
    public void Extract_TokenCost_IntegersStayIntegers()
    {
        var point = PointExtractor.Extract(SampleEvents.Event(SampleEvents.TokenCost));

        Assert.Equal(FieldValue.FromInt64(150), point.Fields["token_count"]);
        Assert.Equal(7.5e-4, point.Fields.CostUsd);
        Assert.Equal("USD", point.Tags.Custom["currency"]);
        Assert.Equal("gpt-4o", point.Tags.ModelId);
    }

    [Fact]
    public void Extract_ErrorRate_CountsAndBreakdown()
    {
        var payload = (ErrorRateMetrics)SampleEvents.AllPayloads().First(p => p is ErrorRateMetrics);

        var point = PointExtractor.Extract(SampleEvents.Event(payload));

        Assert.Equal(2UL, point.Fields.ErrorCount);
        Assert.Equal(98UL, point.Fields.SuccessCount);
        Assert.Equal(FieldValue.FromInt64(2), point.Fields["error_breakdown.timeout"]);
    }

    [Fact]
    public void Extract_Threat_EnumTagsAndCounts()
    {
        var point = PointExtractor.Extract(SampleEvents.Event(new ThreatEvent
        {
            ThreatId = "t", ThreatType = ThreatType.Other("jailbreak"), ThreatLevel = ThreatLevel.High, TargetResource = "chat",
            AttackVector = "prompt", MitigationStatus = MitigationStatus.Blocked, IndicatorsOfCompromise = ["a", "b"],
        }));

        Assert.Equal("other", point.Tags.Custom["threat_type"]);
        Assert.Equal("high", point.Tags.Custom["threat_level"]);
        Assert.Equal(1UL, point.Fields.ThreatCount);
        Assert.Equal(1UL, point.Fields.BlockedCount);
        Assert.Equal(FieldValue.FromInt64(2), point.Fields["indicator_count"]);
    }

    [Fact]
    public void Extract_Custom_TopLevelNumbersAndBooleansOnly()
    {
        var data = System.Text.Json.JsonDocument.Parse("""{"score":0.5,"hits":3,"big":18446744073709551615,"ok":true,"name":"x","nested":{"a":1}}""").RootElement;

        var point = PointExtractor.Extract(SampleEvents.Event(new CustomPayload { CustomType = "eval", Data = data }));

        Assert.Equal("eval", point.Tags.Custom["custom_type"]);
        Assert.Equal(["event_count", "score", "hits", "big", "ok"], point.Fields.Keys);
        Assert.Equal(FieldValue.FromInt64(3), point.Fields["hits"]);
        Assert.Equal(FieldValue.FromUInt64(ulong.MaxValue), point.Fields["big"]);
    }
}
