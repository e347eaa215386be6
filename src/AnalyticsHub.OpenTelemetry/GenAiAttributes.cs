namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// The OpenTelemetry GenAI attribute names the bridge reads, current and older spellings (docs/opentelemetry.md lists
/// which emitter writes which).
/// </summary>
public static class GenAiAttributes
{
    /// <summary><c>gen_ai.operation.name</c>: <c>chat</c>, <c>text_completion</c>, <c>generate_content</c>, <c>embeddings</c>, ...</summary>
    public const string OperationName = "gen_ai.operation.name";

    /// <summary><c>gen_ai.provider.name</c>: the provider (current conventions).</summary>
    public const string ProviderName = "gen_ai.provider.name";

    /// <summary><c>gen_ai.system</c>: the provider (conventions before 1.37).</summary>
    public const string System = "gen_ai.system";

    /// <summary><c>gen_ai.request.model</c>: the model the caller asked for.</summary>
    public const string RequestModel = "gen_ai.request.model";

    /// <summary><c>gen_ai.response.model</c>: the model that answered.</summary>
    public const string ResponseModel = "gen_ai.response.model";

    /// <summary><c>gen_ai.response.id</c>: the provider's id of the response.</summary>
    public const string ResponseId = "gen_ai.response.id";

    /// <summary><c>gen_ai.response.time_to_first_chunk</c>: seconds to the first streamed chunk.</summary>
    public const string TimeToFirstChunk = "gen_ai.response.time_to_first_chunk";

    /// <summary><c>gen_ai.usage.input_tokens</c>: input tokens, cached ones included.</summary>
    public const string InputTokens = "gen_ai.usage.input_tokens";

    /// <summary><c>gen_ai.usage.output_tokens</c>: output tokens, reasoning ones included.</summary>
    public const string OutputTokens = "gen_ai.usage.output_tokens";

    /// <summary><c>gen_ai.usage.prompt_tokens</c>: input tokens (conventions before 1.27).</summary>
    public const string PromptTokens = "gen_ai.usage.prompt_tokens";

    /// <summary><c>gen_ai.usage.completion_tokens</c>: output tokens (conventions before 1.27).</summary>
    public const string CompletionTokens = "gen_ai.usage.completion_tokens";

    /// <summary><c>gen_ai.usage.cache_read.input_tokens</c>: input tokens served from the provider's prompt cache.</summary>
    public const string CacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";

    /// <summary><c>gen_ai.usage.cache_write.input_tokens</c>: input tokens written to the provider's prompt cache.</summary>
    public const string CacheWriteInputTokens = "gen_ai.usage.cache_write.input_tokens";

    /// <summary><c>gen_ai.usage.reasoning.output_tokens</c>: output tokens spent on reasoning.</summary>
    public const string ReasoningOutputTokens = "gen_ai.usage.reasoning.output_tokens";

    /// <summary><c>error.type</c>: what went wrong (an exception type, an HTTP status, ...).</summary>
    public const string ErrorType = "error.type";

    /// <summary><c>gen_ai.input.messages</c>: the prompt as JSON (content capture only).</summary>
    public const string InputMessages = "gen_ai.input.messages";

    /// <summary><c>gen_ai.output.messages</c>: the response as JSON (content capture only).</summary>
    public const string OutputMessages = "gen_ai.output.messages";

    /// <summary><c>gen_ai.system_instructions</c>: the system prompt as JSON (content capture only).</summary>
    public const string SystemInstructions = "gen_ai.system_instructions";
}
