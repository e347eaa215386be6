using AnalyticsHub.Events;
var json = """
{"event_id":"00000000-0000-0000-0000-000000000000","timestamp":"2024-01-15T10:30:00+02:00",
 "source_module":"LLM-CostOps","event_type":"telemetry","schema_version":"1.0.0",
 "severity":"Info","environment":"production","tags":{"x":"<b>é"},
 "payload":{"data":{"model_id":"gpt-4","telemetry_type":"latency",
   "request_id":"r1","total_latency_ms":1523.45,"tokens_per_second":45.6,
   "breakdown":{"queue_time_ms":1.0,"processing_time_ms":2.0,"network_time_ms":3.0,"other_ms":0.0}}, "payload_type":"telemetry"}}
""";
var r = AnalyticsEventJson.Read(json);
Console.WriteLine(r.Succeeded);
foreach (var p in r.Problems) Console.WriteLine(p);
if (r.Event != null) Console.WriteLine(AnalyticsEventJson.Serialize(r.Event));
foreach (var bad in new[]{ "{\"timestamp\":\"2024-01-15T10:30:00\",\"severity\":1,\"tags\":{\"a\":\"b\",\"a\":\"c\"},\"payload\":{\"payload_type\":\"security\",\"data\":{\"security_type\":\"threat\",\"threat_type\":\"jailbreak\",\"threat_level\":\"urgent\"}}}", "{\"a\":", "[1]", "", "{\"x\":1}{}", "{\"payload_type\":\"cost\",\"data\":{\"cost_type\":\"token_cost\",\"prompt_tokens\":-1,\"completion_tokens\":1.5,\"total_tokens\":1e400}}" })
{
  Console.WriteLine("---");
  foreach (var p in AnalyticsEventJson.Read(bad).Problems) Console.WriteLine(p);
}
