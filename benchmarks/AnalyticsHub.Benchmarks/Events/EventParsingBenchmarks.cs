using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnalyticsHub.Events;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AnalyticsHub.Benchmarks.Events;

/// <summary>
/// Parse + validate a typical latency event (single and a 10,000-event NDJSON stream) against the
/// floor: System.Text.Json deserialising the same JSON into plain DTOs with no validation.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EventParsingBenchmarks
{
    private const int BatchSize = 10_000;

    private readonly EventBatchReader _reader = new();
    private byte[] _single = [];
    private byte[] _ndjson = [];

    [GlobalSetup]
    public void Setup()
    {
        _single = Encoding.UTF8.GetBytes(TypicalEvent(0));
        var builder = new StringBuilder();
        for (var i = 0; i < BatchSize; i++)
        {
            builder.Append(TypicalEvent(i)).Append('\n');
        }

        _ndjson = Encoding.UTF8.GetBytes(builder.ToString());
        Console.WriteLine($"// typical event: {_single.Length} bytes");
    }

    /// <summary>A latency event as Observatory writes it: about 600 bytes with tags and a breakdown.</summary>
    public static string TypicalEvent(int i) => Template
        .Replace("#ID#", new Guid(i, 0x1d7e, 0x4c3b, 0x9a, 0x55, 0x0c, 0x6f, 0x1f, 0x7c, 0x2a, 0x11).ToString(), StringComparison.Ordinal)
        .Replace("#MS#", (i % 1000).ToString("D3", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("#TENANT#", (i % 50).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("#REQ#", i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("#LAT#", (812 + (i % 400)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private const string Template =
        """{"event_id":"#ID#","timestamp":"2026-11-27T10:30:00.#MS#Z","source_module":"llm-observatory","event_type":"telemetry","correlation_id":"3b5c1a9e-8f2d-4e7a-b1c4-9d8e7f6a5b4c","schema_version":"1.0.0","severity":"info","environment":"production","tags":{"tenant":"acme-#TENANT#","team":"search","region":"eu-west-1","feature":"chat-assist","provider":"openai"},"payload":{"payload_type":"telemetry","data":{"telemetry_type":"latency","model_id":"gpt-4o-2024-08-06","request_id":"req-#REQ#-7f3a9c","total_latency_ms":#LAT#.4,"ttft_ms":143.2,"tokens_per_second":61.7,"breakdown":{"queue_time_ms":3.1,"processing_time_ms":771.9,"network_time_ms":35.2,"other_ms":2.2}}}}""";

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("single")]
    public EventDto? StjDtoSingle() => JsonSerializer.Deserialize(_single, DtoContext.Default.EventDto);

    /// <summary>The floor on any bytes (for profiling outside BenchmarkDotNet).</summary>
    public EventDto? StjDtoSingleOn(byte[] utf8) => JsonSerializer.Deserialize(utf8, DtoContext.Default.EventDto);

    [Benchmark]
    [BenchmarkCategory("single")]
    public EventItemResult HubReadAndValidateSingle() => _reader.ReadEvent(_single);

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    [BenchmarkCategory("ndjson-stream")]
    public async Task<int> StjDtoNdjsonStream()
    {
        var count = 0;
        await foreach (var dto in JsonSerializer.DeserializeAsyncEnumerable(new MemoryStream(_ndjson), DtoContext.Default.EventDto, topLevelValues: true))
        {
            count += dto is null ? 0 : 1;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    [BenchmarkCategory("ndjson-stream")]
    public async Task<int> HubNdjsonStream()
    {
        var count = 0;
        await foreach (var item in _reader.ReadBatchAsync(new MemoryStream(_ndjson)))
        {
            count += item.IsAccepted ? 1 : 0;
        }

        return count;
    }

    /// <summary>The floor's plain DTOs: the same fields, enums as strings, nothing checked.</summary>
    public sealed class EventDto
    {
        [JsonPropertyName("event_id")] public Guid EventId { get; set; }
        [JsonPropertyName("timestamp")] public DateTimeOffset Timestamp { get; set; }
        [JsonPropertyName("source_module")] public string? SourceModule { get; set; }
        [JsonPropertyName("event_type")] public string? EventType { get; set; }
        [JsonPropertyName("correlation_id")] public Guid? CorrelationId { get; set; }
        [JsonPropertyName("schema_version")] public string? SchemaVersion { get; set; }
        [JsonPropertyName("severity")] public string? Severity { get; set; }
        [JsonPropertyName("environment")] public string? Environment { get; set; }
        [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; set; }
        [JsonPropertyName("payload")] public PayloadDto? Payload { get; set; }
    }

    public sealed class PayloadDto
    {
        [JsonPropertyName("payload_type")] public string? PayloadType { get; set; }
        [JsonPropertyName("data")] public LatencyDto? Data { get; set; }
    }

    public sealed class LatencyDto
    {
        [JsonPropertyName("telemetry_type")] public string? TelemetryType { get; set; }
        [JsonPropertyName("model_id")] public string? ModelId { get; set; }
        [JsonPropertyName("request_id")] public string? RequestId { get; set; }
        [JsonPropertyName("total_latency_ms")] public double TotalLatencyMs { get; set; }
        [JsonPropertyName("ttft_ms")] public double? TtftMs { get; set; }
        [JsonPropertyName("tokens_per_second")] public double? TokensPerSecond { get; set; }
        [JsonPropertyName("breakdown")] public BreakdownDto? Breakdown { get; set; }
    }

    public sealed class BreakdownDto
    {
        [JsonPropertyName("queue_time_ms")] public double QueueTimeMs { get; set; }
        [JsonPropertyName("processing_time_ms")] public double ProcessingTimeMs { get; set; }
        [JsonPropertyName("network_time_ms")] public double NetworkTimeMs { get; set; }
        [JsonPropertyName("other_ms")] public double OtherMs { get; set; }
    }
}

[JsonSerializable(typeof(EventParsingBenchmarks.EventDto))]
internal sealed partial class DtoContext : JsonSerializerContext;
