using System.Diagnostics;
using AnalyticsHub.OpenTelemetry.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>The hub's derived events exported as spans on <c>AnalyticsHub.Signals</c>, linked to the call that caused them.</summary>
[Collection(FixedSourcesCollection.Name)]
public sealed class HubSignalSpansTests
{
    [Fact]
    public async Task DerivedEvent_FromABridgedCall_RootSpanLinkedToTheCallsSpan()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source], configureServices: s => s.AddAnalyticsHub().AddHubSignalSpans());
        var signals = harness.Services.GetRequiredService<HubSignalSpans>();
        await signals.StartAsync();
        using var calls = new SpanRecorder(source);
        using var recorder = new SpanRecorder(HubSignalSpans.SourceName);
        using var chat = new ChatClientBuilder(new FakeChatClient(model: "no-such-model") { ResponseModel = "no-such-model" })
            .UseOpenTelemetry(sourceName: source)
            .Build();

        await chat.GetResponseAsync("Price a model the table does not know.");

        await harness.EventsAsync();
        var call = Assert.Single(calls.Spans);
        var signal = await WaitForAsync(recorder, s => (string?)s.GetTagItem("analyticshub.correlation_id") == GenAiEventMapper.CorrelationIdOf(call.TraceId).ToString());

        Assert.Equal("analyticshub.signal unpriced_token_usage", signal.DisplayName);
        Assert.Equal("unpriced_token_usage", signal.GetTagItem("analyticshub.signal"));
        Assert.Equal("warning", signal.GetTagItem("analyticshub.severity"));
        Assert.Equal(ActivityKind.Internal, signal.Kind);
        Assert.Null(signal.ParentId);
        Assert.NotEqual(call.TraceId, signal.TraceId);
        var link = Assert.Single(signal.Links);
        Assert.Equal((call.TraceId, call.SpanId), (link.Context.TraceId, link.Context.SpanId));
        Assert.DoesNotContain(signal.TagObjects, t => t.Key.StartsWith("gen_ai.", StringComparison.Ordinal));
        Assert.True(signals.SpansEmitted >= 1);
    }

    [Fact]
    public async Task TokenCost_ExcludedByDefault_NoSpan()
    {
        var source = BridgeHarness.NewSource();
        await using var harness = await BridgeHarness.StartAsync([source], configureServices: s => s.AddAnalyticsHub().AddHubSignalSpans());
        var signals = harness.Services.GetRequiredService<HubSignalSpans>();
        await signals.StartAsync();
        using var recorder = new SpanRecorder(HubSignalSpans.SourceName);
        using var chat = new ChatClientBuilder(new FakeChatClient()).UseOpenTelemetry(sourceName: source).Build();

        await chat.GetResponseAsync("A priced call.");
        var events = await harness.EventsAsync();
        var usage = events.Single<AnalyticsHub.Events.TokenCostEvent>();
        await signals.StopAsync();

        Assert.DoesNotContain(recorder.Spans, s => (string?)s.GetTagItem("analyticshub.parent_event_id") == usage.Event.Common.ParentEventId.ToString());
        Assert.Equal(0, signals.SpansEmitted);
    }

    private static async Task<Activity> WaitForAsync(SpanRecorder recorder, Func<Activity, bool> match)
    {
        for (var i = 0; i < 500; i++)
        {
            if (recorder.Spans.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("No signal span arrived within 5 s.");
    }
}
