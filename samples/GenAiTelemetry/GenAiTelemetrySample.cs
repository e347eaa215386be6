using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.OpenTelemetry;
using AnalyticsHub.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Samples.GenAiTelemetry;

/// <summary>
/// An app that already uses Microsoft.Extensions.AI with <c>UseOpenTelemetry()</c>, with the hub added beside it: the
/// chat calls are unchanged, and the hub learns latency, tokens, cost and error rate from the spans they emit.
/// </summary>
public static class GenAiTelemetrySample
{
    /// <summary>Makes <paramref name="calls"/> chat calls (every third streamed) and returns what the hub saw.</summary>
    public static async Task<SampleReport> RunAsync(int calls = 42, CancellationToken cancellationToken = default)
    {
        var services = new ServiceCollection();
        services.AddAnalyticsHub().AddGenAiTelemetry(options => options.Environment = "sample");
        await using var provider = services.BuildServiceProvider();
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        var bridge = provider.GetRequiredService<GenAiTelemetryBridge>();
        await bridge.StartAsync(cancellationToken);

        // The app's own code: a chat client with OpenTelemetry switched on, as it would have without the hub.
        using var chat = new ChatClientBuilder(new ScriptedChatClient("openai", "gpt-4o-mini"))
            .UseOpenTelemetry()
            .Build();
        var failures = 0;
        for (var i = 1; i <= calls; i++)
        {
            var prompt = $"Summarise ticket #{i} in one sentence.";
            try
            {
                if (i % 3 == 0)
                {
                    await foreach (var _ in chat.GetStreamingResponseAsync(prompt, cancellationToken: cancellationToken))
                    {
                    }
                }
                else
                {
                    await chat.GetResponseAsync(prompt, cancellationToken: cancellationToken);
                }
            }
            catch (TimeoutException)
            {
                failures++;
            }
        }

        // Stopping the bridge hands every queued call to the hub and emits the open error-rate windows.
        await bridge.StopAsync(cancellationToken);
        await hub.FlushAsync(cancellationToken);
        var events = await ReadAllAsync(hub, cancellationToken);
        await hub.StopAsync(cancellationToken: cancellationToken);

        var latencies = events.Select(e => e.Payload).OfType<LatencyMetrics>().Select(l => l.TotalLatencyMs).Order().ToList();
        var usage = events.Select(e => e.Payload).OfType<TokenUsageMetrics>().ToList();
        var errorRates = events.Select(e => e.Payload).OfType<ErrorRateMetrics>().ToList();
        return new SampleReport
        {
            Calls = calls,
            FailedCalls = failures,
            Bridge = bridge.Statistics,
            LatencyEvents = latencies.Count,
            FailedLatencyEvents = events.Count(e => e.Payload is LatencyMetrics && e.Severity == Severity.Error),
            MedianLatencyMs = latencies.Count == 0 ? 0 : latencies[latencies.Count / 2],
            PromptTokens = usage.Sum(u => (long)u.PromptTokens),
            CachedInputTokens = usage.Sum(u => (long)(u.CachedInputTokens ?? 0)),
            CompletionTokens = usage.Sum(u => (long)u.CompletionTokens),
            CostUsd = events.Select(e => e.Payload).OfType<TokenCostEvent>().Sum(c => c.TotalCostUsd),
            ErrorRateWindows = errorRates.Count,
            WindowRequests = errorRates.Sum(r => (long)r.TotalRequests),
            WindowFailures = errorRates.Sum(r => (long)r.FailedRequests),
            ErrorBreakdown = errorRates.SelectMany(r => r.ErrorBreakdown)
                .GroupBy(kv => kv.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(kv => (long)kv.Value), StringComparer.Ordinal),
        };
    }

    private static async Task<List<AnalyticsEvent>> ReadAllAsync(IAnalyticsHub hub, CancellationToken cancellationToken)
    {
        var all = new List<AnalyticsEvent>();
        string? cursor = null;
        do
        {
            var page = await hub.QueryEventsAsync(new EventQuery { PerPage = 1000, Cursor = cursor, Order = Api.SortOrder.Asc }, cancellationToken);
            all.AddRange(page.Events);
            cursor = page.HasMore ? page.NextCursor : null;
        }
        while (cursor is not null);

        return all;
    }
}
