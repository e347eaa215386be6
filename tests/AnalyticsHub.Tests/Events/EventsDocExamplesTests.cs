using AnalyticsHub.Events;
using static AnalyticsHub.Tests.Events.EventJsonAssert;

namespace AnalyticsHub.Tests.Events;

/// <summary>
/// The JSON examples and the problem-code table of <c>docs/events.md</c>, duplicated here (tests read
/// nothing outside the test project): keep both in step.
/// </summary>
public sealed class EventsDocExamplesTests
{
    private const string Observatory = """
        {"event_id":"00000000-0000-0000-0000-000000000000","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0",
         "severity":"info","environment":"production","tags":{},
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"latency","model_id":"gpt-4",
           "request_id":"r1","total_latency_ms":1523.45,"tokens_per_second":45.6,
           "breakdown":{"queue_time_ms":1.0,"processing_time_ms":2.0,"network_time_ms":3.0,"other_ms":0.0}}}}
        """;

    private const string Sentinel = """
        {"event_id":"11111111-2222-4333-8444-555555555555","timestamp":"2024-01-15T10:31:07.250Z",
         "source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0",
         "severity":"critical","environment":"production","tags":{"tenant":"acme"},
         "correlation_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
         "payload":{"payload_type":"security","data":{"security_type":"threat","threat_id":"t-1",
           "threat_type":{"other":"jailbreak"},"threat_level":"high","source_ip":"203.0.113.7",
           "target_resource":"chat-api","attack_vector":"role-play prompt","mitigation_status":"blocked",
           "indicators_of_compromise":["ignore previous instructions"]}}}
        """;

    private const string CostOps = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:01Z",
         "source_module":"llm-cost-ops","event_type":"cost","schema_version":"1.0.0",
         "severity":"info","environment":"production","tags":{"team":"search"},
         "payload":{"payload_type":"cost","data":{"cost_type":"token_cost","model_id":"claude-sonnet-4",
           "request_id":"r1","prompt_tokens":10000,"completion_tokens":2500,"total_tokens":12500,
           "cost_per_prompt_token":0.000003,"cost_per_completion_token":0.000015,"total_cost_usd":0.0675,
           "currency":"USD","cached_input_tokens":8000,"cached_input_cost_usd":0.0024,
           "price_version":"anthropic-2025-05"}}}
        """;

    private const string Governance = """
        {"event_id":"3c9e4d21-7a5b-4f60-9e1d-2b8c7a6f5e40","timestamp":"2024-01-15T11:00:00Z",
         "source_module":"llm-governance-dashboard","event_type":"governance","schema_version":"1.0.0",
         "severity":"warning","environment":"production","tags":{},
         "payload":{"payload_type":"governance","data":{"governance_type":"compliance_check",
           "check_id":"cc-1","framework":"SOC2","controls_checked":["CC6.1","CC6.2"],"passed":false,
           "findings":[
             {"control_id":"CC6.1","status":"pass","description":"MFA enforced","evidence":"idp-report.pdf"},
             {"control_id":"CC6.2","status":"fail","description":"Stale API keys","evidence":null}],
           "score":0.5}}}
        """;

    private const string Custom = """
        {"event_id":"9b2f0c3e-1d4a-4b5c-8e6f-7a8b9c0d1e2f","timestamp":"2024-01-15T10:35:00Z",
         "source_module":"llm-analytics-hub","event_type":"alert","schema_version":"1.0.0",
         "severity":"warning","environment":"production","tags":{},
         "parent_event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
         "payload":{"payload_type":"custom","data":{"custom_type":"anomaly",
           "data":{"metric":"latency_ms","observed":1523.45,"expected":310.0,"score":4.2}}}}
        """;

    /// <summary>The code column of the problem-code table in docs/events.md, in its order.</summary>
    private static readonly (string Code, ProblemSeverity Severity)[] DocumentedCodes =
    [
        ("empty_input", ProblemSeverity.Error),
        ("invalid_json", ProblemSeverity.Error),
        ("invalid_utf8", ProblemSeverity.Error),
        ("invalid_type", ProblemSeverity.Error),
        ("missing_field", ProblemSeverity.Error),
        ("null_not_allowed", ProblemSeverity.Error),
        ("duplicate_key", ProblemSeverity.Error),
        ("invalid_enum_value", ProblemSeverity.Error),
        ("invalid_timestamp", ProblemSeverity.Error),
        ("invalid_uuid", ProblemSeverity.Error),
        ("not_an_integer", ProblemSeverity.Error),
        ("number_out_of_range", ProblemSeverity.Error),
        ("unsupported_schema_version", ProblemSeverity.Error),
        ("event_type_mismatch", ProblemSeverity.Error),
        ("non_finite_number", ProblemSeverity.Error),
        ("negative_value", ProblemSeverity.Error),
        ("percent_out_of_range", ProblemSeverity.Error),
        ("severity_score_out_of_range", ProblemSeverity.Warning),
        ("token_total_mismatch", ProblemSeverity.Warning),
        ("empty_value", ProblemSeverity.Error),
        ("timestamp_in_future", ProblemSeverity.Error),
        ("event_too_large", ProblemSeverity.Error),
        ("too_many_tags", ProblemSeverity.Error),
        ("tag_key_invalid", ProblemSeverity.Error),
        ("tag_value_too_long", ProblemSeverity.Error),
        ("too_many_items", ProblemSeverity.Error),
    ];

    public static TheoryData<string, string> Examples => new()
    {
        { "Observatory", Observatory },
        { "Sentinel", Sentinel },
        { "CostOps", CostOps },
        { "Governance", Governance },
        { "Custom", Custom },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Read_DocExample_ReadsCleanlyAndWritesItBack(string module, string json)
    {
        var evt = ReadClean(json);

        Assert.False(string.IsNullOrEmpty(module));
        AssertWrites(evt, json);
    }

    [Fact]
    public void Read_DocExamples_HaveTheExpectedPayloads()
    {
        Assert.IsType<LatencyMetrics>(ReadClean(Observatory).Payload);
        Assert.Equal(ThreatType.Other("jailbreak"), Assert.IsType<ThreatEvent>(ReadClean(Sentinel).Payload).ThreatType);
        Assert.Equal("anthropic-2025-05", Assert.IsType<TokenCostEvent>(ReadClean(CostOps).Payload).PriceVersion);
        Assert.Equal(2, Assert.IsType<ComplianceCheckEvent>(ReadClean(Governance).Payload).Findings.Count);
        Assert.Equal("anomaly", Assert.IsType<CustomPayload>(ReadClean(Custom).Payload).CustomType);
    }

    [Fact]
    public void Catalogue_MatchesTheDocumentedTable() =>
        Assert.Equal(DocumentedCodes, ProblemCodes.Catalogue.Select(entry => (entry.Code, entry.Severity)));

    [Fact]
    public void Catalogue_CodesAreDistinctSnakeCase()
    {
        var codes = ProblemCodes.Catalogue.Select(entry => entry.Code).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", code));
        Assert.All(ProblemCodes.Catalogue, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Meaning)));
    }
}
