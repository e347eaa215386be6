using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.Samples.GenericHost;

/// <summary>Ingests a steady stream of latency and token-usage events, as an application instrumenting its LLM calls would.</summary>
internal sealed partial class TrafficProducer(IAnalyticsHub hub, IOptions<SampleOptions> options, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<TrafficProducer> logger)
    : BackgroundService
{
    private static readonly string[] Models = ["gpt-4o", "claude-sonnet-4", "gemini-2.5-flash"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production", clock);
        var random = new Random(7);
        var started = clock.GetTimestamp();
        var perTick = Math.Max(1, settings.EventsPerSecond / 10);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(100), clock);
        var sent = 0L;
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken))
            {
                var batch = new AnalyticsEvent[perTick];
                for (var i = 0; i < batch.Length; i++)
                {
                    var model = Models[random.Next(Models.Length)];
                    var requestId = "req-" + (sent + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    batch[i] = random.Next(4) == 0
                        ? factory.Create(new TokenUsageMetrics { ModelId = model, RequestId = requestId, PromptTokens = 800, CompletionTokens = 200, TotalTokens = 1000 })
                        : factory.Create(new LatencyMetrics { ModelId = model, RequestId = requestId, TotalLatencyMs = Math.Round(200 * Math.Exp(0.9 * (random.NextDouble() - 0.5)), 1) });
                }

                await hub.IngestAsync(batch, stoppingToken);
                sent += batch.Length;
                if (settings.RunFor > TimeSpan.Zero && clock.GetElapsedTime(started) >= settings.RunFor)
                {
                    Sent(logger, sent);
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Sent(logger, sent);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The producer sent {Count} events; stopping.")]
    private static partial void Sent(ILogger logger, long count);
}
