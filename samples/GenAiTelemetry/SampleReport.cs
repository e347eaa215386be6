using System.Globalization;
using System.Text;
using AnalyticsHub.OpenTelemetry;

namespace AnalyticsHub.Samples.GenAiTelemetry;

/// <summary>What the hub learned from the sample's chat calls.</summary>
public sealed record SampleReport
{
    /// <summary>Chat calls the app made.</summary>
    public required int Calls { get; init; }

    /// <summary>Calls that threw in the app.</summary>
    public required int FailedCalls { get; init; }

    /// <summary>The bridge's accounting.</summary>
    public required GenAiBridgeStatistics Bridge { get; init; }

    /// <summary>Latency events stored, one per call.</summary>
    public required int LatencyEvents { get; init; }

    /// <summary>Latency events of failed calls (severity error).</summary>
    public required int FailedLatencyEvents { get; init; }

    /// <summary>The median call latency, milliseconds.</summary>
    public required double MedianLatencyMs { get; init; }

    /// <summary>Input tokens of the successful calls, cached ones included.</summary>
    public required long PromptTokens { get; init; }

    /// <summary>Input tokens served from the prompt cache.</summary>
    public required long CachedInputTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public required long CompletionTokens { get; init; }

    /// <summary>What the hub's price table made of the tokens, USD.</summary>
    public required double CostUsd { get; init; }

    /// <summary>Per-model error-rate windows emitted.</summary>
    public required int ErrorRateWindows { get; init; }

    /// <summary>Requests counted over all windows.</summary>
    public required long WindowRequests { get; init; }

    /// <summary>Failures counted over all windows.</summary>
    public required long WindowFailures { get; init; }

    /// <summary>Failures by <c>error.type</c> over all windows.</summary>
    public required IReadOnlyDictionary<string, long> ErrorBreakdown { get; init; }

    /// <summary>The report as the console prints it.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"chat calls made by the app:      {Calls} ({FailedCalls} failed)");
        text.AppendLine(c, $"spans the bridge observed:       {Bridge.Observed} (dropped {Bridge.Dropped}, queue full)");
        text.AppendLine(c, $"events the hub accepted:         {Bridge.EventsAccepted} of {Bridge.EventsOffered}");
        text.AppendLine(c, $"latency events:                  {LatencyEvents} ({FailedLatencyEvents} with severity error), median {MedianLatencyMs:F3} ms");
        text.AppendLine(c, $"tokens in / cached / out:        {PromptTokens} / {CachedInputTokens} / {CompletionTokens}");
        text.AppendLine(c, $"cost from the hub's price table: ${CostUsd:F6}");
        text.AppendLine(c, $"error-rate windows:              {ErrorRateWindows}: {WindowFailures} of {WindowRequests} requests failed");
        foreach (var (type, count) in ErrorBreakdown.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.AppendLine(c, $"  error.type {type}: {count}");
        }

        return text.ToString();
    }
}
