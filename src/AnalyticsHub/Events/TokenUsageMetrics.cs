namespace AnalyticsHub.Events;

/// <summary>The tokens one request used.</summary>
public sealed record TokenUsageMetrics : TelemetryPayload, ITokenCounts
{
    /// <inheritdoc/>
    public override TelemetryType TelemetryType => TelemetryType.TokenUsage;

    /// <summary>The request this usage belongs to.</summary>
    public required string RequestId { get; init; }

    /// <summary>Input tokens, inclusive of cached input tokens.</summary>
    public required uint PromptTokens { get; init; }

    /// <summary>Output tokens, inclusive of reasoning tokens.</summary>
    public required uint CompletionTokens { get; init; }

    /// <summary>Total tokens as reported by the producer (not checked against the sum when read).</summary>
    public required uint TotalTokens { get; init; }

    /// <summary>Input tokens read from the provider's prompt cache (part of <see cref="PromptTokens"/>).</summary>
    public uint? CachedInputTokens { get; init; }

    /// <summary>Input tokens written to the provider's prompt cache (part of <see cref="PromptTokens"/>).</summary>
    public uint? CacheCreationInputTokens { get; init; }

    /// <summary>Reasoning tokens (part of <see cref="CompletionTokens"/>).</summary>
    public uint? ReasoningTokens { get; init; }
}
