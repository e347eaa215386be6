using System.Diagnostics;
using AnalyticsHub.Events;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>The mapping of one copied call to events, on cases a live emitter does not easily produce.</summary>
public sealed class GenAiEventMapperTests
{
    [Theory]
    [InlineData("azure.ai.openai", "openai")]
    [InlineData("AZ.AI.OPENAI", "openai")]
    [InlineData("gcp.gemini", "google")]
    [InlineData("mistral_ai", "mistral")]
    [InlineData("anthropic", "anthropic")]
    [InlineData("my-gateway", "my-gateway")]
    public void Map_Provider_AliasedToThePriceTablesId(string spanProvider, string expected)
    {
        var events = Map(Call(c => c.Provider = spanProvider));

        Assert.All(events, e => Assert.Equal(expected, e.Common.Tags["provider"]));
    }

    [Fact]
    public void Map_NoProviderNoModelNoResponseId_UnknownModelSpanIdAsRequestId()
    {
        var call = Call(c => (c.Provider, c.RequestModel, c.ResponseModel) = (null, null, null));

        var evt = Assert.Single(Map(call));
        var latency = Assert.IsType<LatencyMetrics>(evt.Payload);
        Assert.Equal(("unknown", call.SpanId.ToHexString()), (latency.ModelId, latency.RequestId));
        Assert.False(evt.Common.Tags.ContainsKey("provider"));
    }

    [Fact]
    public void Map_CountsBeyondUInt32_Clamped()
    {
        var events = Map(Call(c => (c.InputTokens, c.OutputTokens, c.CacheWriteTokens) = (5_000_000_000, 10, 7)));

        var usage = Assert.IsType<TokenUsageMetrics>(events[1].Payload);
        Assert.Equal((uint.MaxValue, 10u, uint.MaxValue, 7u), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, usage.CacheCreationInputTokens!.Value));
    }

    [Fact]
    public void Map_SameSpanTwice_SameEventIds()
    {
        var call = Call(c => c.InputTokens = 3);

        Assert.Equal(Map(call).Select(e => e.EventId), Map(call).Select(e => e.EventId));
    }

    [Fact]
    public void Map_TwoSpansOfOneTrace_DifferentIdsOneCorrelation()
    {
        var first = Call(c => c.InputTokens = 3);
        var second = Call(c => (c.TraceId, c.InputTokens) = (first.TraceId, 3));

        var a = Map(first);
        var b = Map(second);
        Assert.Empty(a.Select(e => e.EventId).Intersect(b.Select(e => e.EventId)));
        Assert.Equal(a[0].Common.CorrelationId, b[0].Common.CorrelationId);
    }

    [Fact]
    public void Map_NonJsonContent_KeptAsString()
    {
        var events = Map(Call(c => c.InputMessages = "plain text prompt"), o => o.CaptureContent = true);

        var content = Assert.IsType<CustomPayload>(events[^1].Payload);
        Assert.Equal("plain text prompt", content.Data.GetProperty("input_messages").GetString());
        Assert.False(content.Data.TryGetProperty("output_messages", out _));
    }

    private static List<AnalyticsEvent> Map(GenAiCall call, Action<GenAiTelemetryOptions>? configure = null)
    {
        var options = new GenAiTelemetryOptions();
        configure?.Invoke(options);
        var events = new List<AnalyticsEvent>();
        new GenAiEventMapper(options).Map(call, events);
        return events;
    }

    private static GenAiCall Call(Action<GenAiCall> configure)
    {
        var call = new GenAiCall
        {
            Source = "test",
            Operation = "chat",
            Provider = "openai",
            RequestModel = "gpt-4o",
            TraceId = ActivityTraceId.CreateRandom(),
            SpanId = ActivitySpanId.CreateRandom(),
            StartTicks = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc).Ticks,
            DurationTicks = TimeSpan.FromMilliseconds(850).Ticks,
        };
        configure(call);
        return call;
    }
}
