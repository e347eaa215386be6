using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AnalyticsHub.Samples.GenAiTelemetry;

/// <summary>
/// Stands in for a real model (no network): answers every prompt with an echo, reports token usage from the text's
/// length, serves part of each prompt from a pretend prompt cache, and times out on every <see cref="FailEvery"/>-th call.
/// </summary>
public sealed class ScriptedChatClient(string provider, string model) : IChatClient
{
    private int _calls;

    /// <summary>Every how many calls one fails with a <see cref="TimeoutException"/>; 0 never.</summary>
    public int FailEvery { get; init; } = 7;

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (call, prompt) = Next(messages);
        if (Fails(call))
        {
            return Task.FromException<ChatResponse>(new TimeoutException("The scripted model timed out."));
        }

        var answer = "You asked: " + prompt;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = model,
            ResponseId = $"scripted-{call}",
            FinishReason = ChatFinishReason.Stop,
            Usage = UsageOf(prompt, answer),
        });
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (call, prompt) = Next(messages);
        await Task.Yield();
        if (Fails(call))
        {
            throw new TimeoutException("The scripted model timed out.");
        }

        var answer = "You asked: " + prompt;
        foreach (var word in answer.Split(' '))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ") { ModelId = model, ResponseId = $"scripted-{call}" };
        }

        yield return new ChatResponseUpdate { ModelId = model, ResponseId = $"scripted-{call}", FinishReason = ChatFinishReason.Stop, Contents = [new UsageContent(UsageOf(prompt, answer))] };
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(provider, defaultModelId: model)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private (int Call, string Prompt) Next(IEnumerable<ChatMessage> messages) =>
        (Interlocked.Increment(ref _calls), messages.LastOrDefault()?.Text ?? string.Empty);

    private bool Fails(int call) => FailEvery > 0 && call % FailEvery == 0;

    // About four characters a token; the first 1,024 prompt tokens count as served from the cache, as providers do.
    private static UsageDetails UsageOf(string prompt, string answer)
    {
        var input = 900 + (prompt.Length / 4);
        var output = 40 + (answer.Length / 4);
        return new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = input + output,
            CachedInputTokenCount = Math.Min(input, 512),
        };
    }
}
