using System.Threading.Channels;
using AnalyticsHub.OpenTelemetry;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AnalyticsHub.Benchmarks.OpenTelemetry;

/// <summary>
/// PERFORMANCE.md's bridge target: one chat call on the app's thread through Microsoft.Extensions.AI's
/// <c>OpenTelemetryChatClient</c> with the host's OpenTelemetry tracing on (an SDK tracer provider, always-on sampler),
/// against the same call with the bridge's listener on as well. Target: &lt; 2 µs added, no allocation beyond the copied
/// tags.
/// </summary>
/// <remarks>
/// The two calls use two sources (listeners are process-wide): the tracer provider listens to both, the bridge to one.
/// The bridge's queue is drained by a thread that returns each record to the pool, as the pump does, so the figure is
/// the app thread's cost: the copy into a pooled record and the <c>TryWrite</c>. The hub's own work happens on the pump's
/// thread and is measured by <c>HubIngestBenchmarks</c>.
/// </remarks>
[MemoryDiagnoser]
public class GenAiBridgeBenchmarks
{
    private const string PlainSource = "Benchmarks.GenAi.TracingOnly";
    private const string BridgedSource = "Benchmarks.GenAi.Bridged";

    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "What is the capital of France?")];

    private TracerProvider? _tracing;
    private IChatClient? _plain;
    private IChatClient? _bridged;
    private GenAiSpanListener? _listener;
    private Channel<GenAiCall>? _queue;
    private Task? _drain;

    [GlobalSetup]
    public void Setup()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(PlainSource, BridgedSource)
            .SetSampler(new AlwaysOnSampler())
            .Build();
        _plain = new ChatClientBuilder(new CannedChatClient()).UseOpenTelemetry(sourceName: PlainSource).Build();
        _bridged = new ChatClientBuilder(new CannedChatClient()).UseOpenTelemetry(sourceName: BridgedSource).Build();

        var options = new GenAiTelemetryOptions();
        options.Sources.Clear();
        options.SourcePrefixes.Clear();
        options.Sources.Add(BridgedSource);
        _queue = Channel.CreateBounded<GenAiCall>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true });
        var pool = new GenAiCallPool(options.QueueCapacity);
        _listener = new GenAiSpanListener(options, pool, _queue.Writer);
        _listener.Start();
        var reader = _queue.Reader;
        _drain = Task.Run(async () =>
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var call))
                {
                    pool.Return(call);
                }
            }
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _queue?.Writer.TryComplete();
        _drain?.GetAwaiter().GetResult();
        _plain?.Dispose();
        _bridged?.Dispose();
        _tracing?.Dispose();
        if (_listener is { Dropped: > 0 } listener)
        {
            Console.WriteLine($"// the bridge dropped {listener.Dropped} of {listener.Observed} calls (queue full): the drain fell behind");
        }
    }

    [Benchmark(Baseline = true)]
    public ChatResponse ChatCallTracingOn() => _plain!.GetResponseAsync(Prompt).GetAwaiter().GetResult();

    [Benchmark]
    public ChatResponse ChatCallTracingOnAndBridge() => _bridged!.GetResponseAsync(Prompt).GetAwaiter().GetResult();

    /// <summary>A model that answers at once with a fixed response, usage included (no I/O, no allocation of its own per call).</summary>
    private sealed class CannedChatClient : IChatClient
    {
        private static readonly ChatResponse Response = new(new ChatMessage(ChatRole.Assistant, "Paris."))
        {
            ModelId = "gpt-4o-mini-2024-07-18",
            ResponseId = "chatcmpl-bench",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 1200, OutputTokenCount = 300, TotalTokenCount = 1500, CachedInputTokenCount = 1000, ReasoningTokenCount = 120 },
        };

        private static readonly Task<ChatResponse> Completed = Task.FromResult(Response);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => Completed;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The benchmark measures the non-streaming call.");

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("openai", defaultModelId: "gpt-4o-mini") : null;

        public void Dispose()
        {
        }
    }
}
