using System.Net;
using System.Text;

namespace AnalyticsHub.OpenTelemetry.Tests.Fakes;

/// <summary>An in-process OpenAI endpoint: answers <c>/chat/completions</c> with canned JSON or SSE, or an error status.</summary>
internal sealed class FakeOpenAIHandler : HttpMessageHandler
{
    public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;

    public int PromptTokens { get; init; } = 200;

    public int CompletionTokens { get; init; } = 50;

    public int CachedTokens { get; init; } = 64;

    public int ReasoningTokens { get; init; } = 16;

    public int Requests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        if (Status != HttpStatusCode.OK)
        {
            return new HttpResponseMessage(Status)
            {
                Content = new StringContent("""{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""", Encoding.UTF8, "application/json"),
            };
        }

        var usage = $$$"""{"prompt_tokens":{{{PromptTokens}}},"completion_tokens":{{{CompletionTokens}}},"total_tokens":{{{PromptTokens + CompletionTokens}}},"prompt_tokens_details":{"cached_tokens":{{{CachedTokens}}}},"completion_tokens_details":{"reasoning_tokens":{{{ReasoningTokens}}}}}""";
        if (body.Contains("\"stream\":true", StringComparison.Ordinal))
        {
            var sse = new StringBuilder();
            foreach (var word in new[] { "Hello", " there" })
            {
                sse.Append("data: ").Append($$$"""{"id":"chatcmpl-stream-1","object":"chat.completion.chunk","created":1733400000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":"{{{word}}}"},"finish_reason":null}]}""").Append("\n\n");
            }

            sse.Append("data: ").Append($$$"""{"id":"chatcmpl-stream-1","object":"chat.completion.chunk","created":1733400000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""").Append("\n\n");
            sse.Append("data: ").Append($$$"""{"id":"chatcmpl-stream-1","object":"chat.completion.chunk","created":1733400000,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{{{usage}}}}""").Append("\n\n");
            sse.Append("data: [DONE]\n\n");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(sse.ToString(), Encoding.UTF8, "text/event-stream") };
        }

        var json = $$$"""{"id":"chatcmpl-openai-1","object":"chat.completion","created":1733400000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],"usage":{{{usage}}}}""";
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
