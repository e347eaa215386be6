using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using AnalyticsHub.Events;
using AnalyticsHub.OpenTelemetry.Tests.Fakes;
using OpenAI;
using OpenAI.Chat;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>
/// Tests that listen to fixed source names (the OpenAI SDK's, the defaults) or set process-wide switches: they run one
/// at a time, apart from the tests that use sources of their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FixedSourcesCollection
{
    public const string Name = "fixed sources";
}

/// <summary>
/// The bridge behind the OpenAI SDK's own telemetry (package version pinned in Directory.Packages.props, switch
/// <c>OpenAI.Experimental.EnableOpenTelemetry</c> on) against an in-process HTTP handler: no network.
/// </summary>
[Collection(FixedSourcesCollection.Name)]
public sealed class OpenAISdkTests
{
    private const string OptInVariable = "OTEL_SEMCONV_STABILITY_OPT_IN";

    static OpenAISdkTests() => AppContext.SetSwitch("OpenAI.Experimental.EnableOpenTelemetry", true);

    [Fact]
    public async Task CompleteChat_DefaultConventions_OlderNamesRead()
    {
        await using var harness = await BridgeHarness.StartAsync([GenAiTelemetryOptions.OpenAIChatSource]);
        using var spans = new SpanRecorder(GenAiTelemetryOptions.OpenAIChatSource);
        var chat = Client(new FakeOpenAIHandler());

        await chat.CompleteChatAsync([new UserChatMessage("hi")]);
        var events = await harness.EventsAsync();

        var span = Assert.Single(spans.Spans);
        Assert.Equal("openai", span.GetTagItem("gen_ai.system"));
        Assert.Null(span.GetTagItem("gen_ai.provider.name"));
        var (evt, latency) = events.Single<LatencyMetrics>();
        Assert.Equal("openai", evt.Common.Tags["provider"]);
        Assert.Equal(("gpt-4o-mini-2024-07-18", "chatcmpl-openai-1"), (latency.ModelId, latency.RequestId));
        Assert.Equal(span.TraceId.ToHexString(), evt.Common.CorrelationId!.Value.ToString("N"));
        Assert.Equal(span.SpanId.ToHexString(), evt.Common.Tags["span_id"]);
        var (_, usage) = events.Single<TokenUsageMetrics>();
        Assert.Equal((200u, 50u, 250u), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens));

        // The SDK's default conventions put no cache or reasoning counts on the span.
        Assert.Null(usage.CachedInputTokens);
        Assert.Null(usage.ReasoningTokens);
        Assert.Equal(1, events.CountOf<TokenCostEvent>());
    }

    [Fact]
    public async Task CompleteChat_LatestConventionsOptedIn_CachedAndReasoningTokensRead()
    {
        await using var harness = await BridgeHarness.StartAsync([GenAiTelemetryOptions.OpenAIChatSource]);
        using var spans = new SpanRecorder(GenAiTelemetryOptions.OpenAIChatSource);
        Environment.SetEnvironmentVariable(OptInVariable, "gen_ai_latest_experimental");
        ChatClient chat;
        try
        {
            chat = Client(new FakeOpenAIHandler { PromptTokens = 3000, CompletionTokens = 700, CachedTokens = 2048, ReasoningTokens = 512 });
        }
        finally
        {
            Environment.SetEnvironmentVariable(OptInVariable, null);
        }

        await chat.CompleteChatAsync([new UserChatMessage("think hard")]);
        var events = await harness.EventsAsync();

        var span = Assert.Single(spans.Spans);
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.IsType<long>(span.GetTagItem("gen_ai.usage.input_tokens"));
        var (_, usage) = events.Single<TokenUsageMetrics>();
        Assert.Equal((3000u, 700u, 3700u, 2048u, 512u), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, usage.CachedInputTokens!.Value, usage.ReasoningTokens!.Value));
    }

    [Fact]
    public async Task CompleteChat_RateLimited_ErrorLatencyWithTheStatusAsErrorType()
    {
        await using var harness = await BridgeHarness.StartAsync([GenAiTelemetryOptions.OpenAIChatSource]);
        var chat = Client(new FakeOpenAIHandler { Status = HttpStatusCode.TooManyRequests });

        await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));
        var events = await harness.StopBridgeAsync();

        var (evt, latency) = events.Single<LatencyMetrics>();
        Assert.Equal(Severity.Error, evt.Severity);
        Assert.Equal("429", evt.Common.Tags["error.type"]);
        Assert.Equal("gpt-4o-mini", latency.ModelId);
        Assert.Equal(0, events.CountOf<TokenUsageMetrics>());
        var (_, rate) = events.Single<ErrorRateMetrics>();
        Assert.Equal(1ul, rate.ErrorBreakdown["429"]);
    }

    [Fact]
    public async Task CompleteChatStreaming_NoSpanFromThisSdkVersion_NothingBridged()
    {
        await using var harness = await BridgeHarness.StartAsync([GenAiTelemetryOptions.OpenAIChatSource]);
        using var spans = new SpanRecorder(GenAiTelemetryOptions.OpenAIChatSource);
        var handler = new FakeOpenAIHandler();
        var chat = Client(handler);

        var text = string.Empty;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
        }

        var events = await harness.EventsAsync();
        Assert.Equal("Hello there", text);
        Assert.Equal(1, handler.Requests);
        Assert.Empty(spans.Spans);
        Assert.Equal(0, harness.Bridge.Statistics.Observed);
        Assert.Empty(events);
    }

    [Fact]
    public async Task CompleteChat_SwitchOnButSourceNotListened_NothingBridged()
    {
        await using var harness = await BridgeHarness.StartAsync([GenAiTelemetryOptions.MicrosoftExtensionsAISource]);
        var chat = Client(new FakeOpenAIHandler());

        await chat.CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Empty(await harness.EventsAsync());
        Assert.Equal(0, harness.Bridge.Statistics.Observed);
    }

    private static ChatClient Client(FakeOpenAIHandler handler) => new("gpt-4o-mini", new ApiKeyCredential("test-key"), new OpenAIClientOptions
    {
        Transport = new HttpClientPipelineTransport(new HttpClient(handler)),
        Endpoint = new Uri("http://localhost/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });
}
