using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using AnalyticsHub.Cost;
using AnalyticsHub.Events;

namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// Turns one copied GenAI call into hub events, on the pump's thread: a <c>latency</c> event, a <c>token_usage</c>
/// event when the span carried counts, and, with content capture on, a <c>gen_ai_content</c> companion event.
/// </summary>
/// <remarks>
/// Identities: the trace id becomes <c>correlation_id</c> (the same 32 hex digits as a UUID), the span id the
/// <c>span_id</c> tag, the response id (else the span id) the <c>request_id</c>, the provider the <c>provider</c> tag the
/// price table reads. Event ids are derived from the trace and span ids, so a span read twice is stored once.
/// </remarks>
internal sealed class GenAiEventMapper
{
    /// <summary>The model id of a call whose span named none.</summary>
    public const string UnknownModel = "unknown";

    /// <summary>The <c>custom_type</c> of the content companion event.</summary>
    public const string ContentType = "gen_ai_content";

    /// <summary>The tag holding the span id (16 hex digits).</summary>
    public const string SpanIdTag = "span_id";

    /// <summary>The tag holding <c>gen_ai.operation.name</c>.</summary>
    public const string OperationTag = "operation";

    private static readonly DerivedIdSpace LatencyIds = DerivedEvents.Space("otel_genai_latency");
    private static readonly DerivedIdSpace UsageIds = DerivedEvents.Space("otel_genai_token_usage");
    private static readonly DerivedIdSpace ContentIds = DerivedEvents.Space("otel_genai_content");

    private readonly string _environment;
    private readonly Dictionary<string, string> _providerAliases;
    private readonly int _maxContentLength;

    public GenAiEventMapper(GenAiTelemetryOptions options)
    {
        _environment = options.Environment;
        _providerAliases = new Dictionary<string, string>(options.ProviderAliases, StringComparer.OrdinalIgnoreCase);
        _maxContentLength = options.MaxContentLength;
    }

    /// <summary>The model a call is priced and grouped by: the one that answered, else the one asked for.</summary>
    public static string ModelOf(GenAiCall call) =>
        !string.IsNullOrEmpty(call.ResponseModel) ? call.ResponseModel
        : !string.IsNullOrEmpty(call.RequestModel) ? call.RequestModel
        : UnknownModel;

    /// <summary>
    /// The model a call's <c>error_rate</c> window is kept under: the one asked for, else the one that answered. A failed
    /// call knows only the model it asked for, so keying by it puts a model's failures and successes in one window.
    /// </summary>
    public static string RequestedModelOf(GenAiCall call) =>
        !string.IsNullOrEmpty(call.RequestModel) ? call.RequestModel
        : !string.IsNullOrEmpty(call.ResponseModel) ? call.ResponseModel
        : UnknownModel;

    /// <summary>The price table's provider id for a span's provider name.</summary>
    public string? ProviderOf(GenAiCall call) =>
        string.IsNullOrEmpty(call.Provider) ? null
        : _providerAliases.TryGetValue(call.Provider, out var alias) ? alias
        : call.Provider;

    /// <summary>The trace id as a UUID whose text is the trace id's 32 hex digits.</summary>
    public static Guid CorrelationIdOf(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The trace id a correlation id made by <see cref="CorrelationIdOf"/> came from.</summary>
    public static ActivityTraceId TraceIdOf(Guid correlationId)
    {
        Span<byte> bytes = stackalloc byte[16];
        correlationId.TryWriteBytes(bytes, bigEndian: true, out _);
        return ActivityTraceId.CreateFromBytes(bytes);
    }

    /// <summary>Adds the call's events to <paramref name="events"/>.</summary>
    public void Map(GenAiCall call, List<AnalyticsEvent> events)
    {
        var model = ModelOf(call);
        var spanId = call.SpanId.ToHexString();
        var requestId = string.IsNullOrEmpty(call.ResponseId) ? spanId : call.ResponseId;
        var key = SpanKey(call.TraceId, call.SpanId);
        var correlationId = CorrelationIdOf(call.TraceId);
        var timestamp = call.End;
        var tags = Tags(call, spanId);

        var totalMs = call.DurationTicks / (double)TimeSpan.TicksPerMillisecond;
        double? ttftMs = double.IsNaN(call.TimeToFirstChunkSeconds) ? null : call.TimeToFirstChunkSeconds * 1000;
        double? tokensPerSecond = call.OutputTokens > 0 && call.DurationTicks > 0
            ? call.OutputTokens / (call.DurationTicks / (double)TimeSpan.TicksPerSecond)
            : null;
        events.Add(new AnalyticsEvent
        {
            Common = Common(LatencyIds.FromParent(key), timestamp, EventType.Telemetry, call.Failed ? Severity.Error : Severity.Info, tags, correlationId),
            Payload = new LatencyMetrics { ModelId = model, RequestId = requestId, TotalLatencyMs = totalMs, TtftMs = ttftMs, TokensPerSecond = tokensPerSecond },
        });

        if (call.HasUsage)
        {
            var input = Clamp(call.InputTokens);
            var output = Clamp(call.OutputTokens);
            events.Add(new AnalyticsEvent
            {
                Common = Common(UsageIds.FromParent(key), timestamp, EventType.Telemetry, Severity.Info, tags, correlationId),
                Payload = new TokenUsageMetrics
                {
                    ModelId = model,
                    RequestId = requestId,
                    PromptTokens = input,
                    CompletionTokens = output,
                    TotalTokens = (uint)Math.Min(uint.MaxValue, (ulong)input + output),
                    CachedInputTokens = Optional(call.CacheReadTokens),
                    CacheCreationInputTokens = Optional(call.CacheWriteTokens),
                    ReasoningTokens = Optional(call.ReasoningTokens),
                },
            });
        }

        if (call.InputMessages is not null || call.OutputMessages is not null || call.SystemInstructions is not null)
        {
            events.Add(new AnalyticsEvent
            {
                Common = Common(ContentIds.FromParent(key), timestamp, EventType.Telemetry, Severity.Info, tags, correlationId),
                Payload = new CustomPayload { CustomType = ContentType, Data = Content(call, model, requestId) },
            });
        }
    }

    /// <summary>A key unique per span: the trace id with the span id folded into its second half.</summary>
    private static Guid SpanKey(ActivityTraceId traceId, ActivitySpanId spanId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        Span<byte> span = stackalloc byte[8];
        spanId.CopyTo(span);
        for (var i = 0; i < 8; i++)
        {
            bytes[8 + i] ^= span[i];
        }

        return new Guid(bytes);
    }

    private Dictionary<string, string> Tags(GenAiCall call, string spanId)
    {
        var tags = new Dictionary<string, string>(4, StringComparer.Ordinal)
        {
            [SpanIdTag] = spanId,
            [OperationTag] = call.Operation!,
        };
        if (ProviderOf(call) is { } provider)
        {
            tags[CostCalculator.ProviderTag] = provider;
        }

        if (call.Failed)
        {
            tags[GenAiAttributes.ErrorType] = ErrorTypeOf(call);
        }

        return tags;
    }

    /// <summary>The call's <c>error.type</c>; <c>_OTHER</c> (the conventions' fallback) when a failed span named none.</summary>
    public static string ErrorTypeOf(GenAiCall call) => string.IsNullOrEmpty(call.ErrorType) ? "_OTHER" : call.ErrorType;

    private CommonEventFields Common(Guid id, DateTimeOffset timestamp, EventType type, Severity severity, IReadOnlyDictionary<string, string> tags, Guid correlationId) => new()
    {
        EventId = id,
        Timestamp = timestamp,
        SourceModule = SourceModule.LlmObservatory,
        EventType = type,
        CorrelationId = correlationId,
        Severity = severity,
        Environment = _environment,
        Tags = tags,
    };

    private JsonElement Content(GenAiCall call, string model, string requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model_id", model);
            writer.WriteString("request_id", requestId);
            WriteContent(writer, "system_instructions", call.SystemInstructions);
            WriteContent(writer, "input_messages", call.InputMessages);
            WriteContent(writer, "output_messages", call.OutputMessages);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Writes the emitter's JSON as JSON when it parses and fits, else as a string cut to the limit.</summary>
    private void WriteContent(Utf8JsonWriter writer, string name, string? text)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length <= _maxContentLength)
        {
            try
            {
                using var parsed = JsonDocument.Parse(text);
                writer.WritePropertyName(name);
                parsed.RootElement.WriteTo(writer);
                return;
            }
            catch (JsonException)
            {
                // Not JSON (an older emitter's plain text): kept as a string below.
            }
        }

        writer.WriteString(name, text.Length <= _maxContentLength ? text : string.Concat(text.AsSpan(0, _maxContentLength), "…"));
    }

    private static uint Clamp(long count) => count <= 0 ? 0 : (uint)Math.Min(uint.MaxValue, count);

    private static uint? Optional(long count) => count == GenAiCall.Absent ? null : Clamp(count);
}
