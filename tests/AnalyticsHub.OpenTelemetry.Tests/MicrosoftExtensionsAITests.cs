using System.Diagnostics;
using AnalyticsHub.Cost;
using AnalyticsHub.Events;
using AnalyticsHub.OpenTelemetry.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>
/// The bridge behind Microsoft.Extensions.AI's real <c>OpenTelemetryChatClient</c> (package version pinned in
/// Directory.Packages.props) around an in-process chat model: each test's span checked against the events, field by field.
/// </summary>
public sealed class MicrosoftExtensionsAITests
{
    private static readonly UsageDetails RichUsage = new()
    {
        InputTokenCount = 1200,
        OutputTokenCount = 300,
        TotalTokenCount = 1500,
        CachedInputTokenCount = 1000,
        ReasoningTokenCount = 120,
    };

    [Fact]
    public async Task GetResponse_Success_LatencyEventMatchesTheSpan()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source], o => o.Environment = "staging");
        using var spans = new SpanRecorder(source);
        using var chat = Client(new FakeChatClient(), source);

        await chat.GetResponseAsync("What is the capital of France?");
        var events = await harness.EventsAsync();

        var span = Assert.Single(spans.Spans);
        var (evt, latency) = events.Single<LatencyMetrics>();
        Assert.Equal("gpt-4o-mini-2024-07-18", latency.ModelId);
        Assert.Equal("chatcmpl-fake-1", latency.RequestId);
        Assert.Equal(span.Duration.Ticks / (double)TimeSpan.TicksPerMillisecond, latency.TotalLatencyMs, 9);
        Assert.Null(latency.TtftMs);
        Assert.Equal(30 / span.Duration.TotalSeconds, latency.TokensPerSecond!.Value, 6);
        Assert.Equal(Severity.Info, evt.Severity);
        Assert.Equal(SourceModule.LlmObservatory, evt.SourceModule);
        Assert.Equal("staging", evt.Common.Environment);
        Assert.Equal(new DateTimeOffset(span.StartTimeUtc + span.Duration), evt.Timestamp);
        Assert.Equal(span.TraceId.ToHexString(), evt.Common.CorrelationId!.Value.ToString("N"));
        Assert.Equal(span.SpanId.ToHexString(), evt.Common.Tags["span_id"]);
        Assert.Equal("openai", evt.Common.Tags["provider"]);
        Assert.Equal("chat", evt.Common.Tags["operation"]);
        Assert.False(evt.Common.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task GetResponse_CachedAndReasoningTokens_TokenUsageEventCarriesThemInclusive()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        using var chat = Client(new FakeChatClient { Usage = RichUsage }, source);

        await chat.GetResponseAsync("Explain prompt caching.");
        var events = await harness.EventsAsync();

        var (evt, usage) = events.Single<TokenUsageMetrics>();
        var (latencyEvent, _) = events.Single<LatencyMetrics>();
        Assert.Equal("gpt-4o-mini-2024-07-18", usage.ModelId);
        Assert.Equal("chatcmpl-fake-1", usage.RequestId);
        Assert.Equal(1200u, usage.PromptTokens);
        Assert.Equal(300u, usage.CompletionTokens);
        Assert.Equal(1500u, usage.TotalTokens);
        Assert.Equal(1000u, usage.CachedInputTokens);
        Assert.Equal(120u, usage.ReasoningTokens);
        Assert.Null(usage.CacheCreationInputTokens);
        Assert.Equal(latencyEvent.Common.CorrelationId, evt.Common.CorrelationId);
        Assert.Equal(latencyEvent.Timestamp, evt.Timestamp);
        Assert.NotEqual(latencyEvent.EventId, evt.EventId);
    }

    [Fact]
    public async Task GetResponse_KnownModel_PricedByTheHubsTable()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        using var chat = Client(new FakeChatClient { Usage = RichUsage }, source);

        await chat.GetResponseAsync("Price me.");
        var events = await harness.EventsAsync();

        var (usageEvent, usage) = events.Single<TokenUsageMetrics>();
        var (costEvent, cost) = events.Single<TokenCostEvent>();
        var quote = harness.Services.GetRequiredService<CostCalculator>().Quote(usage, usageEvent.Timestamp, "openai");
        Assert.NotNull(quote);
        Assert.Equal(usageEvent.EventId, costEvent.Common.ParentEventId);
        Assert.Equal((double)quote.Value.TotalUsd, cost.TotalCostUsd, 12);
        Assert.Equal("openai", quote.Value.Price.Provider);
        Assert.True(quote.Value.CachedInputUsd > 0);
    }

    [Fact]
    public async Task GetStreamingResponse_Success_TimeToFirstTokenFromTheSpan()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        using var spans = new SpanRecorder(source);
        using var chat = Client(new FakeChatClient { Usage = RichUsage }, source);

        await foreach (var _ in chat.GetStreamingResponseAsync("Stream the answer."))
        {
        }

        var events = await harness.EventsAsync();
        var span = Assert.Single(spans.Spans);
        var ttftSeconds = Assert.IsType<double>(span.GetTagItem("gen_ai.response.time_to_first_chunk"));
        var (_, latency) = events.Single<LatencyMetrics>();
        Assert.Equal(ttftSeconds * 1000, latency.TtftMs!.Value, 9);
        Assert.Equal("chatcmpl-fake-1", latency.RequestId);
        var (_, usage) = events.Single<TokenUsageMetrics>();
        Assert.Equal((1200u, 300u, 1000u, 120u), (usage.PromptTokens, usage.CompletionTokens, usage.CachedInputTokens!.Value, usage.ReasoningTokens!.Value));
    }

    [Fact]
    public async Task GetResponse_Failure_ErrorLatencyAndNoUsage()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        using var spans = new SpanRecorder(source);
        using var chat = Client(new FakeChatClient { Failure = new HttpRequestException("upstream 503") }, source);

        await Assert.ThrowsAsync<HttpRequestException>(() => chat.GetResponseAsync("Fail, please."));
        var events = await harness.EventsAsync();

        var span = Assert.Single(spans.Spans);
        var (evt, latency) = events.Single<LatencyMetrics>();
        Assert.Equal(Severity.Error, evt.Severity);
        Assert.Equal("System.Net.Http.HttpRequestException", evt.Common.Tags["error.type"]);
        Assert.Equal("gpt-4o-mini", latency.ModelId);
        Assert.Equal(span.SpanId.ToHexString(), latency.RequestId);
        Assert.Equal(0, events.CountOf<TokenUsageMetrics>());
    }

    [Fact]
    public async Task GetStreamingResponse_FailureMidStream_ErrorLatencyWithTimeToFirstToken()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        using var chat = Client(new FakeChatClient { Failure = new TimeoutException("stalled") }, source);

        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var _ in chat.GetStreamingResponseAsync("Stream, then fail."))
            {
            }
        });
        var events = await harness.EventsAsync();

        var (evt, latency) = events.Single<LatencyMetrics>();
        Assert.Equal(Severity.Error, evt.Severity);
        Assert.Equal("System.TimeoutException", evt.Common.Tags["error.type"]);
        Assert.NotNull(latency.TtftMs);
        Assert.Equal("chatcmpl-fake-1", latency.RequestId);
    }

    [Fact]
    public async Task Calls_SuccessesAndFailures_OneErrorRateWindowPerModelOnStop()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source], o => o.ErrorRateWindow = TimeSpan.FromHours(1));
        using var good = Client(new FakeChatClient(), source);
        using var timeouts = Client(new FakeChatClient { Failure = new TimeoutException() }, source);
        using var http = Client(new FakeChatClient { Failure = new HttpRequestException() }, source);
        using var other = Client(new FakeChatClient(model: "claude-sonnet-4", provider: "anthropic") { ResponseModel = "claude-sonnet-4" }, source);

        for (var i = 0; i < 5; i++)
        {
            await good.GetResponseAsync("ok");
        }

        await Assert.ThrowsAsync<TimeoutException>(() => timeouts.GetResponseAsync("x"));
        await Assert.ThrowsAsync<TimeoutException>(() => timeouts.GetResponseAsync("x"));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetResponseAsync("x"));
        await other.GetResponseAsync("ok");
        var events = await harness.StopBridgeAsync();

        // Windows are kept by the requested model, the only one a failed call knows.
        var rates = events.Where(e => e.Payload is ErrorRateMetrics).Select(e => (Event: e, Rate: (ErrorRateMetrics)e.Payload)).ToDictionary(x => x.Rate.ModelId);
        Assert.Equal(["claude-sonnet-4", "gpt-4o-mini"], rates.Keys.Order(StringComparer.Ordinal));
        var (okEvent, gpt) = rates["gpt-4o-mini"];
        Assert.Equal((8ul, 3ul, 37.5, 3600u), (gpt.TotalRequests, gpt.FailedRequests, gpt.ErrorRatePercent, gpt.WindowDurationSeconds));
        Assert.Equal(2ul, gpt.ErrorBreakdown["System.TimeoutException"]);
        Assert.Equal(1ul, gpt.ErrorBreakdown["System.Net.Http.HttpRequestException"]);
        Assert.Equal(2, gpt.ErrorBreakdown.Count);
        Assert.Equal(Severity.Warning, okEvent.Severity);
        Assert.Equal("openai", okEvent.Common.Tags["provider"]);
        var (claudeEvent, claude) = rates["claude-sonnet-4"];
        Assert.Equal((1ul, 0ul, 0.0), (claude.TotalRequests, claude.FailedRequests, claude.ErrorRatePercent));
        Assert.Empty(claude.ErrorBreakdown);
        Assert.Equal(Severity.Info, claudeEvent.Severity);
        Assert.Equal("anthropic", claudeEvent.Common.Tags["provider"]);
        Assert.Equal(0, okEvent.Timestamp.UtcTicks % TimeSpan.TicksPerHour);
    }

    [Fact]
    public async Task ErrorRateWindow_ClockPassesItsEnd_EmittedWithoutStopping()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source], o => o.ErrorRateLateness = TimeSpan.FromSeconds(2));
        using var chat = Client(new FakeChatClient { Failure = new TimeoutException() }, source);

        await Assert.ThrowsAsync<TimeoutException>(() => chat.GetResponseAsync("x"));
        await harness.Bridge.FlushAsync();
        Assert.Equal(0, (await harness.EventsAsync()).CountOf<ErrorRateMetrics>());

        // The window ends at most a minute after the call (by the span's wall clock); the fake clock jumps past it.
        harness.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(3));
        IReadOnlyList<AnalyticsEvent> events = [];
        for (var i = 0; i < 200 && events.CountOf<ErrorRateMetrics>() == 0; i++)
        {
            await Task.Delay(5);
            events = await harness.EventsAsync();
        }

        var (_, rate) = events.Single<ErrorRateMetrics>();
        Assert.Equal((1ul, 1ul), (rate.TotalRequests, rate.FailedRequests));
    }

    [Fact]
    public async Task ContentCapture_OffByDefault_NoPromptStoredEvenWhenTheEmitterCapturesIt()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        using var chat = Client(new FakeChatClient(), source, sensitive: true);

        await chat.GetResponseAsync("My secret plan is X.");
        var events = await harness.EventsAsync();

        Assert.Equal(0, events.CountOf<CustomPayload>());
        Assert.DoesNotContain(events, e => AnalyticsEventJson.Serialize(e).Contains("secret plan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContentCapture_On_CompanionEventWithMessagesRedactedByTheHub()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source], o => o.CaptureContent = true, StoreContent);
        using var chat = Client(new FakeChatClient { Text = "Write to jane.doe@example.com today." }, source, sensitive: true);

        await chat.GetResponseAsync("Who do I mail? I am bob@example.org.");
        var events = await harness.EventsAsync();

        var (evt, content) = events.Single<CustomPayload>();
        Assert.Equal("gen_ai_content", content.CustomType);
        var (latencyEvent, _) = events.Single<LatencyMetrics>();
        Assert.Equal(latencyEvent.Common.CorrelationId, evt.Common.CorrelationId);
        Assert.Equal("chatcmpl-fake-1", content.Data.GetProperty("request_id").GetString());
        var input = content.Data.GetProperty("input_messages");
        Assert.Equal("user", input[0].GetProperty("role").GetString());
        var prompt = input[0].GetProperty("parts")[0].GetProperty("content").GetString();
        Assert.StartsWith("Who do I mail? I am ", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("bob@example.org", prompt, StringComparison.Ordinal);
        var answer = content.Data.GetProperty("output_messages")[0].GetProperty("parts")[0].GetProperty("content").GetString();
        Assert.DoesNotContain("jane.doe@example.com", answer, StringComparison.Ordinal);
        Assert.StartsWith("Write to ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentCapture_OnWithoutTheHubsStoreContent_MessagesReplacedByThePlaceholder()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source], o => o.CaptureContent = true);
        using var chat = Client(new FakeChatClient { Text = "The answer." }, source, sensitive: true);

        await chat.GetResponseAsync("The question.");
        var (_, content) = (await harness.EventsAsync()).Single<CustomPayload>();

        Assert.Equal(AnalyticsHub.Events.Redaction.PrivacyOptions.ContentPlaceholder, content.Data.GetProperty("input_messages").GetString());
        Assert.Equal(AnalyticsHub.Events.Redaction.PrivacyOptions.ContentPlaceholder, content.Data.GetProperty("output_messages").GetString());
        Assert.Equal("chatcmpl-fake-1", content.Data.GetProperty("request_id").GetString());
    }

    /// <summary>The hub stores conversation content only when the host opts in (privacy by default).</summary>
    private static void StoreContent(IServiceCollection services) =>
        services.Configure<AnalyticsHub.Hosting.AnalyticsHubOptions>(o => o.Privacy.StoreContent = true);

    [Fact]
    public async Task ContentCapture_TextLongerThanTheLimit_KeptCutAsAString()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source], o => (o.CaptureContent, o.MaxContentLength) = (true, 64), StoreContent);
        using var chat = Client(new FakeChatClient(), source, sensitive: true);

        await chat.GetResponseAsync(new string('a', 500));
        var (_, content) = (await harness.EventsAsync()).Single<CustomPayload>();

        var input = content.Data.GetProperty("input_messages").GetString()!;
        Assert.Equal(65, input.Length);
        Assert.EndsWith("…", input, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_Span_LatencyAndInputTokens()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(new FakeEmbeddingGenerator())
            .UseOpenTelemetry(sourceName: source)
            .Build();

        await generator.GenerateAsync(["first text", "second text"]);
        var events = await harness.EventsAsync();

        var (evt, latency) = events.Single<LatencyMetrics>();
        Assert.Equal("embeddings", evt.Common.Tags["operation"]);
        Assert.Equal("text-embedding-3-small", latency.ModelId);
        var (_, usage) = events.Single<TokenUsageMetrics>();
        Assert.Equal((8u, 0u, 8u), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens));
    }

    [Fact]
    public async Task Statistics_AfterCalls_AccountForEverySpanAndEvent()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source]);
        using var chat = Client(new FakeChatClient(), source);
        using var failing = Client(new FakeChatClient { Failure = new TimeoutException() }, source);

        await chat.GetResponseAsync("a");
        await chat.GetResponseAsync("b");
        await Assert.ThrowsAsync<TimeoutException>(() => failing.GetResponseAsync("c"));
        await harness.StopBridgeAsync();

        var stats = harness.Bridge.Statistics;
        Assert.Equal((3L, 0L, 0L, 3L, 0L), (stats.Observed, stats.Dropped, stats.CopyFailures, stats.Mapped, stats.MapFailures));

        // 3 latency + 2 token usage + 1 error_rate window.
        Assert.Equal(6, stats.EventsOffered);
        Assert.Equal(stats.EventsOffered, stats.EventsAccepted);
        Assert.Equal((0L, 0L, 0L), (stats.EventsRejected, stats.EventsRefused, stats.EventsNotOffered));
    }

    private static IChatClient Client(IChatClient inner, string source, bool sensitive = false) =>
        new ChatClientBuilder(inner).UseOpenTelemetry(sourceName: source, configure: c => c.EnableSensitiveData = sensitive).Build();

    private sealed class FakeEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var embeddings = new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 0.1f, 0.2f }) { ModelId = "text-embedding-3-small" }))
            {
                Usage = new UsageDetails { InputTokenCount = 8, TotalTokenCount = 8 },
            };
            return Task.FromResult(embeddings);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("openai", null, "text-embedding-3-small", 2) : null;

        public void Dispose()
        {
        }
    }
}
