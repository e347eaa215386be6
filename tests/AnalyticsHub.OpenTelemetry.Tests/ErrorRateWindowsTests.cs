using AnalyticsHub.Events;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>The per-model error-rate windows: when they close, what they count, and late calls.</summary>
public sealed class ErrorRateWindowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_CallInALaterWindow_ClosesThePreviousOne()
    {
        var windows = new ErrorRateWindows(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5), "prod");
        var events = new List<AnalyticsEvent>();

        windows.Add("gpt-4o", "openai", T0.AddSeconds(10), null, events);
        windows.Add("gpt-4o", "openai", T0.AddSeconds(20), "429", events);
        windows.Add("gpt-4o", "openai", T0.AddSeconds(59.9), "429", events);
        windows.Add("gpt-4o", "openai", T0.AddSeconds(61), "System.TimeoutException", events);

        var evt = Assert.Single(events);
        var rate = Assert.IsType<ErrorRateMetrics>(evt.Payload);
        Assert.Equal((3ul, 2ul, 60u), (rate.TotalRequests, rate.FailedRequests, rate.WindowDurationSeconds));
        Assert.Equal(200.0 / 3, rate.ErrorRatePercent, 12);
        Assert.Equal(2ul, Assert.Single(rate.ErrorBreakdown).Value);
        Assert.Equal(T0, evt.Timestamp);
        Assert.Equal(("prod", "openai", Severity.Warning), (evt.Common.Environment, evt.Common.Tags["provider"], evt.Severity));
        Assert.Equal(1, windows.OpenCount);
    }

    [Fact]
    public void CloseDue_ClockBeforeAndAfterEndPlusLateness_ClosesOnlyAfter()
    {
        var windows = new ErrorRateWindows(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5), "prod");
        var events = new List<AnalyticsEvent>();
        windows.Add("gpt-4o", null, T0.AddSeconds(30), null, events);
        windows.Add("claude", null, T0.AddSeconds(70), null, events);

        windows.CloseDue(T0.AddSeconds(64.9), events);
        Assert.Empty(events);

        windows.CloseDue(T0.AddSeconds(65), events);
        var rate = Assert.IsType<ErrorRateMetrics>(Assert.Single(events).Payload);
        Assert.Equal("gpt-4o", rate.ModelId);
        Assert.False(events[0].Common.Tags.ContainsKey("provider"));
        Assert.Equal(1, windows.OpenCount);
    }

    [Fact]
    public void Add_CallForAWindowAlreadyClosed_CountedLateAndLeftOut()
    {
        var windows = new ErrorRateWindows(TimeSpan.FromMinutes(1), TimeSpan.Zero, "prod");
        var events = new List<AnalyticsEvent>();
        windows.Add("gpt-4o", null, T0.AddSeconds(30), null, events);
        windows.CloseDue(T0.AddMinutes(2), events);

        windows.Add("gpt-4o", null, T0.AddSeconds(45), "429", events);
        windows.Add("gpt-4o", null, T0.AddSeconds(150), null, events);
        windows.Add("gpt-4o", null, T0.AddSeconds(100), null, events);

        Assert.Equal(2, windows.Late);
        Assert.Single(events);
        windows.CloseAll(events);
        var last = Assert.IsType<ErrorRateMetrics>(events[^1].Payload);
        Assert.Equal((1ul, 0ul), (last.TotalRequests, last.FailedRequests));
    }

    [Fact]
    public void EventIds_SameModelAndWindow_SameIdSoAReplayIsStoredOnce()
    {
        static Guid IdOf(string environment)
        {
            var windows = new ErrorRateWindows(TimeSpan.FromMinutes(1), TimeSpan.Zero, environment);
            var events = new List<AnalyticsEvent>();
            windows.Add("gpt-4o", null, T0.AddSeconds(1), null, events);
            windows.CloseAll(events);
            return Assert.Single(events).EventId;
        }

        Assert.Equal(IdOf("prod"), IdOf("prod"));
        Assert.NotEqual(IdOf("prod"), IdOf("staging"));
    }
}
