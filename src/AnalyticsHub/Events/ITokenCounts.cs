namespace AnalyticsHub.Events;

/// <summary>The token counts of one request, shared by token usage and token cost, so the payload catalog describes them once.</summary>
internal interface ITokenCounts
{
    string RequestId { get; }

    uint PromptTokens { get; }

    uint CompletionTokens { get; }

    uint TotalTokens { get; }

    uint? CachedInputTokens { get; }

    uint? CacheCreationInputTokens { get; }

    uint? ReasoningTokens { get; }
}
