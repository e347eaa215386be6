namespace AnalyticsHub.Tests.Events;

/// <summary>
/// The golden events: one hand-written event per payload variant in the nested wire shape of spec section 1.3, and the
/// canonical form the writer gives where it differs from the input. AnalyticsEventJsonGoldenTests reads and
/// writes each; the HTTP API's tests validate each against the OpenAPI document (this file is linked there).
/// </summary>
internal static class GoldenEvents
{
    public const string SpecSection13Example = """
        {"event_id":"00000000-0000-0000-0000-000000000000","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0",
         "severity":"info","environment":"production","tags":{},
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"latency","model_id":"gpt-4",
           "request_id":"r1","total_latency_ms":1523.45,"tokens_per_second":45.6,
           "breakdown":{"queue_time_ms":1.0,"processing_time_ms":2.0,"network_time_ms":3.0,"other_ms":0.0}}}}
        """;

    public const string LatencyWithoutBreakdown = """
        {
          "event_id": "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
          "timestamp": "2024-03-01T08:00:00.250Z",
          "source_module": "llm-observatory",
          "event_type": "telemetry",
          "correlation_id": "11111111-2222-4333-8444-555555555555",
          "parent_event_id": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
          "schema_version": "1.0.0",
          "severity": "debug",
          "environment": "staging",
          "tags": { "team": "search", "region": "eu-west-1" },
          "payload": {
            "payload_type": "telemetry",
            "data": {
              "telemetry_type": "latency",
              "model_id": "claude-3-haiku",
              "request_id": "req-42",
              "total_latency_ms": 87,
              "ttft_ms": 12.5
            }
          }
        }
        """;

    public const string Throughput = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-06-30T23:59:59.123456Z",
         "source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"throughput","model_id":"gpt-4o",
           "requests_per_second":120.5,"tokens_per_second":0.25,"concurrent_requests":4294967295,
           "window_duration_seconds":60}}}
        """;

    public const string ErrorRate = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-observatory","event_type":"alert","schema_version":"1.0.0","severity":"error",
         "environment":"production","tags":{"service":"chat"},
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"error_rate","model_id":"gpt-4",
           "total_requests":18446744073709551615,"failed_requests":9007199254740993,"error_rate_percent":4.88,
           "error_breakdown":{"timeout":9007199254740993,"rate_limited":18446744073709551615,"server":0},
           "window_duration_seconds":300}}}
        """;

    public const string TokenUsageWithoutAdditiveFields = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"token_usage","model_id":"gpt-4",
           "request_id":"r1","prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500}}}
        """;

    public const string TokenUsageWithDecision9Fields = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.2.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"token_usage","model_id":"claude-sonnet-4",
           "request_id":"r2","prompt_tokens":10000,"completion_tokens":2500,"total_tokens":12500,
           "cached_input_tokens":8000,"cache_creation_input_tokens":0,"reasoning_tokens":1800}}}
        """;

    public const string ModelPerformanceWithNullOptionals = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"model_performance","model_id":"gpt-4",
           "accuracy":null,"quality_score":0.92,"user_satisfaction":null,
           "custom_metrics":{"bleu":0.41,"rouge_l":1e-7,"huge":1.7976931348623157e308}}}}
        """;

    public const string ModelPerformanceWithAbsentOptionals = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-observatory","event_type":"telemetry","severity":"info","environment":"production",
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"model_performance","model_id":"m",
           "custom_metrics":{}}}}
        """;

    public const string ModelPerformanceWithAbsentOptionalsWritten = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-observatory","event_type":"telemetry","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"telemetry","data":{"telemetry_type":"model_performance","model_id":"m",
           "accuracy":null,"quality_score":null,"user_satisfaction":null,"custom_metrics":{}}}}
        """;

    public const string ThreatWithKnownType = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0","severity":"critical",
         "environment":"production","tags":{"tenant":"acme"},
         "payload":{"payload_type":"security","data":{"security_type":"threat","threat_id":"t-1",
           "threat_type":"prompt_injection","threat_level":"high","source_ip":"203.0.113.7",
           "target_resource":"chat-api","attack_vector":"user prompt","mitigation_status":"blocked",
           "indicators_of_compromise":["ignore previous instructions","<script>alert(1)</script>"]}}}
        """;

    public const string ThreatWithBareUnknownType = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0","severity":"warning",
         "environment":"production","tags":{},
         "payload":{"payload_type":"security","data":{"security_type":"threat","threat_id":"t-2",
           "threat_type":"jailbreak","threat_level":"medium","source_ip":null,
           "target_resource":"chat-api","attack_vector":"role play","mitigation_status":"investigating",
           "indicators_of_compromise":[]}}}
        """;

    public const string ThreatWithOtherObject = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0","severity":"warning",
         "environment":"production","tags":{},
         "payload":{"payload_type":"security","data":{"security_type":"threat","threat_id":"t-3",
           "threat_type":{"other":"model extraction"},"threat_level":"low","source_ip":"::1",
           "target_resource":"embeddings","attack_vector":"api scraping","mitigation_status":"detected",
           "indicators_of_compromise":["10k requests/min"]}}}
        """;

    public const string Vulnerability = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0","severity":"error",
         "environment":"production","tags":{},
         "payload":{"payload_type":"security","data":{"security_type":"vulnerability","vulnerability_id":"v-9",
           "cve_id":"CVE-2024-12345","severity_score":9.8,"affected_component":"tokenizer",
           "description":"Heap overflow in the BPE merge table","remediation_status":"patch_available"}}}
        """;

    public const string ComplianceViolation = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0","severity":"warning",
         "environment":"production","tags":{},
         "payload":{"payload_type":"security","data":{"security_type":"compliance_violation","violation_id":"cv-1",
           "regulation":"GDPR","requirement":"Art. 5(1)(c)","violation_description":"Prompt logged with an e-mail address",
           "affected_data_types":["email","name"],"remediation_required":true}}}
        """;

    public const string Auth = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0","severity":"warning",
         "environment":"production","tags":{},
         "payload":{"payload_type":"security","data":{"security_type":"auth","user_id":"u-17",
           "action":"permission_denied","resource":"/v1/models/gpt-4","success":false,
           "failure_reason":"missing scope 'models:write'"}}}
        """;

    public const string Privacy = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-sentinel","event_type":"security","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"security","data":{"security_type":"privacy","data_type":"chat_history",
           "operation":"data_deletion","user_consent":true,"data_subjects":["u-1","u-2","Zoë"],
           "purpose":"right to erasure"}}}
        """;

    public const string TokenCostWithDecision9Fields = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-cost-ops","event_type":"cost","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{"customer":"acme"},
         "payload":{"payload_type":"cost","data":{"cost_type":"token_cost","model_id":"claude-sonnet-4",
           "request_id":"r1","prompt_tokens":10000,"completion_tokens":2500,"total_tokens":12500,
           "cost_per_prompt_token":0.000003,"cost_per_completion_token":0.000015,"total_cost_usd":0.0675,
           "currency":"USD","cached_input_tokens":8000,"cache_creation_input_tokens":1000,"reasoning_tokens":500,
           "cached_input_cost_usd":0.0024,"cache_creation_cost_usd":0.00375,"reasoning_cost_usd":0.0075,
           "price_version":"anthropic-2025-05"}}}
        """;

    public const string TokenCostWithoutDecision9Fields = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-cost-ops","event_type":"cost","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"cost","data":{"cost_type":"token_cost","model_id":"gpt-4","request_id":"r1",
           "prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,"cost_per_prompt_token":0.00003,
           "cost_per_completion_token":0.00006,"total_cost_usd":0.054,"currency":"EUR"}}}
        """;

    public const string ApiCost = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-cost-ops","event_type":"cost","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"cost","data":{"cost_type":"api_cost","provider":"openai",
           "api_endpoint":"/v1/embeddings","request_count":9007199254740993,"cost_per_request":0.0001,
           "total_cost_usd":900719925474.0993,"billing_period":"2024-01"}}}
        """;

    public const string ResourceConsumptionWithOtherType = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-cost-ops","event_type":"cost","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"cost","data":{"cost_type":"resource_consumption","resource_type":{"other":"tpu"},
           "resource_id":"tpu-v5e-1","quantity":12.5,"unit":"chip-hours","cost_usd":15.0,"utilization_percent":135.5}}}
        """;

    public const string ResourceConsumptionWithKnownType = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-cost-ops","event_type":"cost","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"cost","data":{"cost_type":"resource_consumption","resource_type":"gpu",
           "resource_id":"a100-7","quantity":1,"unit":"gpu-hours","cost_usd":2.5,"utilization_percent":0}}}
        """;

    public const string BudgetAlert = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-cost-ops","event_type":"alert","schema_version":"1.0.0","severity":"critical",
         "environment":"production","tags":{"forecast":"true"},
         "payload":{"payload_type":"cost","data":{"cost_type":"budget_alert","budget_id":"b-1",
           "budget_name":"Team Search — monthly","budget_limit_usd":10000,"current_spend_usd":10250.75,
           "threshold_percent":102.5075,"alert_type":"exceeded"}}}
        """;

    public const string PolicyViolation = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-policy-engine","event_type":"governance","schema_version":"1.0.0","severity":"warning",
         "environment":"production","tags":{},
         "payload":{"payload_type":"governance","data":{"governance_type":"policy_violation","policy_id":"p-7",
           "policy_name":"No PII in prompts","violation_description":"SSN pattern matched",
           "violated_rules":["pii.ssn","pii.any"],"resource_id":"chat-api","user_id":null,"severity":"high",
           "auto_remediated":false}}}
        """;

    public const string AuditTrailWithNestedChanges = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-governance-dashboard","event_type":"audit","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"governance","data":{"governance_type":"audit_trail","action":"config_change",
           "actor":"alice@example.com","resource_type":"model_route","resource_id":"route-3",
           "changes":{"temperature":{"old":0.7,"new":0.2},"models":["gpt-4","gpt-4o"],"enabled":true,
             "note":null,"limits":{"rpm":9007199254740993,"nested":{"deep":[1,{"x":"y"}]}}},
           "ip_address":"198.51.100.4","user_agent":null}}}
        """;

    public const string ComplianceCheckWithFindings = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-governance-dashboard","event_type":"governance","schema_version":"1.0.0",
         "severity":"warning","environment":"production","tags":{},
         "payload":{"payload_type":"governance","data":{"governance_type":"compliance_check","check_id":"cc-1",
           "framework":"SOC2","controls_checked":["CC6.1","CC6.2","CC7.2"],"passed":false,
           "findings":[
             {"control_id":"CC6.1","status":"pass","description":"MFA enforced","evidence":"idp-report-2024-01.pdf"},
             {"control_id":"CC6.2","status":"fail","description":"Stale API keys","evidence":null},
             {"control_id":"CC7.2","status":"not_applicable","description":"No on-prem hosts","evidence":null}],
           "score":0.5}}}
        """;

    public const string DataLineage = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-registry","event_type":"governance","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"governance","data":{"governance_type":"data_lineage","data_asset_id":"ds-12",
           "operation":"transform","source":"s3://raw/chats","destination":null,"transformation":"pii-redaction",
           "lineage_path":["s3://raw/chats","redactor","s3://clean/chats"]}}}
        """;

    public const string CustomWithObjectData = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-analytics-hub","event_type":"alert","schema_version":"1.0.0","severity":"warning",
         "environment":"production","tags":{},
         "payload":{"payload_type":"custom","data":{"custom_type":"anomaly",
           "data":{"metric":"latency_ms","score":4.2,"window":{"start":"2024-01-15T10:00:00Z","end":"2024-01-15T10:30:00Z"},
             "points":[1,2.5,-3e-5],"flags":[true,false,null]}}}}
        """;

    public const string CustomWithNullData = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-registry","event_type":"lifecycle","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"custom","data":{"custom_type":"model_registered","data":null}}}
        """;

    public const string CustomWithUnsetDataWritten = """
        {"event_id":"6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2024-01-15T10:30:00Z",
         "source_module":"llm-registry","event_type":"lifecycle","schema_version":"1.0.0","severity":"info",
         "environment":"production","tags":{},
         "payload":{"payload_type":"custom","data":{"custom_type":"x","data":null}}}
        """;

    /// <summary>Every golden event by name.</summary>
    public static IReadOnlyList<(string Name, string Json)> All { get; } =
    [
        (nameof(SpecSection13Example), SpecSection13Example),
        (nameof(LatencyWithoutBreakdown), LatencyWithoutBreakdown),
        (nameof(Throughput), Throughput),
        (nameof(ErrorRate), ErrorRate),
        (nameof(TokenUsageWithoutAdditiveFields), TokenUsageWithoutAdditiveFields),
        (nameof(TokenUsageWithDecision9Fields), TokenUsageWithDecision9Fields),
        (nameof(ModelPerformanceWithNullOptionals), ModelPerformanceWithNullOptionals),
        (nameof(ModelPerformanceWithAbsentOptionals), ModelPerformanceWithAbsentOptionals),
        (nameof(ModelPerformanceWithAbsentOptionalsWritten), ModelPerformanceWithAbsentOptionalsWritten),
        (nameof(ThreatWithKnownType), ThreatWithKnownType),
        (nameof(ThreatWithBareUnknownType), ThreatWithBareUnknownType),
        (nameof(ThreatWithOtherObject), ThreatWithOtherObject),
        (nameof(Vulnerability), Vulnerability),
        (nameof(ComplianceViolation), ComplianceViolation),
        (nameof(Auth), Auth),
        (nameof(Privacy), Privacy),
        (nameof(TokenCostWithDecision9Fields), TokenCostWithDecision9Fields),
        (nameof(TokenCostWithoutDecision9Fields), TokenCostWithoutDecision9Fields),
        (nameof(ApiCost), ApiCost),
        (nameof(ResourceConsumptionWithOtherType), ResourceConsumptionWithOtherType),
        (nameof(ResourceConsumptionWithKnownType), ResourceConsumptionWithKnownType),
        (nameof(BudgetAlert), BudgetAlert),
        (nameof(PolicyViolation), PolicyViolation),
        (nameof(AuditTrailWithNestedChanges), AuditTrailWithNestedChanges),
        (nameof(ComplianceCheckWithFindings), ComplianceCheckWithFindings),
        (nameof(DataLineage), DataLineage),
        (nameof(CustomWithObjectData), CustomWithObjectData),
        (nameof(CustomWithNullData), CustomWithNullData),
        (nameof(CustomWithUnsetDataWritten), CustomWithUnsetDataWritten),
    ];
}
