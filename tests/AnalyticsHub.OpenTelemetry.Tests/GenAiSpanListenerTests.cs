using System.Diagnostics;
using System.Threading.Channels;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>The listener alone: what it copies, what it skips, and that the caller never waits for it or sees it fail.</summary>
public sealed class GenAiSpanListenerTests
{
    [Fact]
    public void Stop_QueueFull_DropsAndCountsWithoutBlocking()
    {
        using var rig = new Rig(2);
        var (activitySource, queue, listener) = (rig.Source, rig.Queue, rig.Listener);

        for (var i = 0; i < 5; i++)
        {
            Chat(activitySource).Stop();
        }

        Assert.Equal((5L, 3L), (listener.Observed, listener.Dropped));
        Assert.Equal(2, queue.Reader.Count);
    }

    [Fact]
    public void Stop_TagValueThatThrows_CountedAndNeverThrownIntoTheCaller()
    {
        using var rig = new Rig(8);
        var (activitySource, queue, listener) = (rig.Source, rig.Queue, rig.Listener);

        var activity = Chat(activitySource);
        activity.SetTag("error.type", new Hostile());
        activity.Stop();

        Assert.Equal((1L, 0L), (listener.CopyFailures, listener.Observed));
        Assert.Equal(0, queue.Reader.Count);
    }

    [Fact]
    public void Stop_ToolCallSpan_IgnoredNotQueued()
    {
        using var rig = new Rig(8);
        var (activitySource, queue, listener) = (rig.Source, rig.Queue, rig.Listener);

        using (activitySource.StartActivity("execute_tool get_weather")!.SetTag("gen_ai.operation.name", "execute_tool"))
        {
        }

        using (activitySource.StartActivity("no operation at all"))
        {
        }

        Assert.Equal((2L, 0L), (listener.Ignored, listener.Observed));
    }

    [Fact]
    public void Copy_OlderAttributeNamesAndTextCounts_Read()
    {
        using var rig = new Rig(8);
        var (activitySource, queue, listener) = (rig.Source, rig.Queue, rig.Listener);

        var activity = activitySource.StartActivity("chat")!;
        activity.SetTag("gen_ai.system", "az.ai.openai");
        activity.SetTag("gen_ai.operation.name", "chat");
        activity.SetTag("gen_ai.usage.prompt_tokens", "42");
        activity.SetTag("gen_ai.usage.completion_tokens", 7L);
        activity.SetTag("gen_ai.response.time_to_first_chunk", "0.25");
        activity.Stop();

        Assert.True(queue.Reader.TryRead(out var call));
        Assert.Equal(("az.ai.openai", 42L, 7L, 0.25), (call.Provider, call.InputTokens, call.OutputTokens, call.TimeToFirstChunkSeconds));
        Assert.Equal(GenAiCall.Absent, call.CacheReadTokens);
        Assert.False(call.Failed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Copy_ProviderNameAndSystem_TheCurrentNameWinsInEitherOrder(bool currentFirst)
    {
        using var rig = new Rig(8);
        var (activitySource, queue, listener) = (rig.Source, rig.Queue, rig.Listener);

        var activity = activitySource.StartActivity("chat")!.SetTag("gen_ai.operation.name", "chat");
        if (currentFirst)
        {
            activity.SetTag("gen_ai.provider.name", "anthropic").SetTag("gen_ai.system", "old");
        }
        else
        {
            activity.SetTag("gen_ai.system", "old").SetTag("gen_ai.provider.name", "anthropic");
        }

        activity.Stop();

        Assert.True(queue.Reader.TryRead(out var call));
        Assert.Equal("anthropic", call.Provider);
    }

    [Fact]
    public void Copy_NegativeAndMalformedCounts_TreatedAsAbsent()
    {
        using var rig = new Rig(8);
        var (activitySource, queue, listener) = (rig.Source, rig.Queue, rig.Listener);

        Chat(activitySource).SetTag("gen_ai.usage.input_tokens", -5).SetTag("gen_ai.usage.output_tokens", "many").SetTag("gen_ai.response.time_to_first_chunk", double.NaN).Stop();

        Assert.True(queue.Reader.TryRead(out var call));
        Assert.Equal((GenAiCall.Absent, GenAiCall.Absent), (call.InputTokens, call.OutputTokens));
        Assert.True(double.IsNaN(call.TimeToFirstChunkSeconds));
        Assert.False(call.HasUsage);
    }

    [Fact]
    public void Copy_ErrorStatusWithoutErrorType_Failed()
    {
        using var rig = new Rig(8);
        var (activitySource, queue, listener) = (rig.Source, rig.Queue, rig.Listener);

        Chat(activitySource).SetStatus(ActivityStatusCode.Error, "boom").Stop();

        Assert.True(queue.Reader.TryRead(out var call));
        Assert.True(call.Failed);
        Assert.Equal("_OTHER", GenAiEventMapper.ErrorTypeOf(call));
        Assert.Equal("boom", call.StatusDescription);
    }

    [Fact]
    public void Copy_ContentCaptureOff_MessagesNotKept()
    {
        using var rig = new Rig(8);
        var (activitySource, queue, listener) = (rig.Source, rig.Queue, rig.Listener);

        Chat(activitySource).SetTag("gen_ai.input.messages", "[]").SetTag("gen_ai.output.messages", "[]").SetTag("gen_ai.system_instructions", "[]").Stop();

        Assert.True(queue.Reader.TryRead(out var call));
        Assert.Null(call.InputMessages);
        Assert.Null(call.OutputMessages);
        Assert.Null(call.SystemInstructions);
    }

    [Theory]
    [InlineData("AnalyticsHub", false)]
    [InlineData("AnalyticsHub.Signals", false)]
    [InlineData("AnalyticsHub.PostgreSql", false)]
    [InlineData("AnalyticsHubber", true)]
    [InlineData("Experimental.Microsoft.Extensions.AI", true)]
    [InlineData("Microsoft.SemanticKernel.Diagnostics", true)]
    [InlineData("OpenAI.ResponsesClient", true)]
    [InlineData("OpenAI.EmbeddingClient", false)]
    public void ShouldListenTo_DefaultsAndAPrefixThatWouldMatchTheHub_NeverTheHubsOwnSources(string name, bool expected)
    {
        var options = new GenAiTelemetryOptions();
        options.SourcePrefixes.Add("Analytics");
        using var listener = new GenAiSpanListener(options, new GenAiCallPool(4), Channel.CreateBounded<GenAiCall>(1).Writer);
        using var source = new ActivitySource(name);

        Assert.Equal(expected, listener.ShouldListenTo(source));
    }

    [Fact]
    public void HubSpan_WithGenAiAttributes_NotBridged()
    {
        var options = new GenAiTelemetryOptions();
        options.Sources.Add(HubMeter.Name);
        var queue = Channel.CreateBounded<GenAiCall>(8);
        using var listener = new GenAiSpanListener(options, new GenAiCallPool(4), queue.Writer);
        listener.Start();

        using (HubMeter.ActivitySource.StartActivity("hub batch")?.SetTag("gen_ai.operation.name", "chat"))
        {
        }

        Assert.Equal((0L, 0L), (listener.Observed, listener.Ignored));
        Assert.Equal(0, queue.Reader.Count);
    }

    [Fact]
    public void Pool_RentAfterReturn_ReusesAClearedRecord()
    {
        var pool = new GenAiCallPool(8);
        var call = pool.Rent();
        call.InputTokens = 5;
        call.Operation = "chat";
        pool.Return(call);

        var again = pool.Rent();
        Assert.Same(call, again);
        Assert.Equal((GenAiCall.Absent, (string?)null), (again.InputTokens, again.Operation));
        Assert.NotSame(again, pool.Rent());
    }

    private static Activity Chat(ActivitySource source) =>
        source.StartActivity("chat gpt-4o")!.SetTag("gen_ai.operation.name", "chat").SetTag("gen_ai.request.model", "gpt-4o");

    /// <summary>A started listener on a source of its own, writing to a queue of the given capacity that nothing reads.</summary>
    private sealed class Rig : IDisposable
    {
        public Rig(int capacity)
        {
            var name = BridgeHarness.NewSource();
            Source = new ActivitySource(name);
            Queue = Channel.CreateBounded<GenAiCall>(capacity);
            var options = new GenAiTelemetryOptions();
            options.Sources.Clear();
            options.SourcePrefixes.Clear();
            options.Sources.Add(name);
            Listener = new GenAiSpanListener(options, new GenAiCallPool(4), Queue.Writer);
            Listener.Start();
        }

        public ActivitySource Source { get; }

        public Channel<GenAiCall> Queue { get; }

        public GenAiSpanListener Listener { get; }

        public void Dispose()
        {
            Listener.Dispose();
            Source.Dispose();
        }
    }

    private sealed class Hostile
    {
        public override string ToString() => throw new InvalidOperationException("a tag value that cannot be read");
    }
}
