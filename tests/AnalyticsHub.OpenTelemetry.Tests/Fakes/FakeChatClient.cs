using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AnalyticsHub.OpenTelemetry.Tests.Fakes;

/// <summary>An in-process chat model: answers with a fixed text, usage and ids, streams it in chunks, or fails.</summary>
internal sealed class FakeChatClient(string provider = "openai", string model = "gpt-4o-mini") : IChatClient
{
    public string ResponseModel { get; init; } = model + "-2024-07-18";

    public string ResponseId { get; init; } = "chatcmpl-fake-1";

    public string Text { get; init; } = "Paris is the capital of France.";

    public UsageDetails? Usage { get; init; } = new() { InputTokenCount = 120, OutputTokenCount = 30, TotalTokenCount = 150 };

    /// <summary>Thrown by every call when set.</summary>
    public Exception? Failure { get; init; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
        {
            return Task.FromException<ChatResponse>(Failure);
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Text))
        {
            ModelId = ResponseModel,
            ResponseId = ResponseId,
            FinishReason = ChatFinishReason.Stop,
            Usage = Usage,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var words = Text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (Failure is not null && i == 1)
            {
                throw Failure;
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, (i == 0 ? string.Empty : " ") + words[i])
            {
                ModelId = ResponseModel,
                ResponseId = ResponseId,
                MessageId = "m1",
            };
        }

        var last = new ChatResponseUpdate { ModelId = ResponseModel, ResponseId = ResponseId, FinishReason = ChatFinishReason.Stop };
        if (Usage is not null)
        {
            last.Contents.Add(new UsageContent(Usage));
        }

        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(provider, new Uri("https://api.example.test/v1"), model)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
