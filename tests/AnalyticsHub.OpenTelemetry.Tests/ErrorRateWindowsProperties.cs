using AnalyticsHub.Events;
using FsCheck.Xunit;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>
/// The error-rate windows against a slow obvious baseline: group the calls by model and window start, count. Calls come
/// in any order; whatever is left out is counted late, never lost silently.
/// </summary>
public sealed class ErrorRateWindowsProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Models = ["gpt-4o", "claude", "gemini"];
    private static readonly string?[] Errors = [null, null, "429", "System.TimeoutException"];

    [Property(MaxTest = 300)]
    public bool CloseAll_CallsInEndTimeOrder_EqualsTheGroupedCount(byte[] modelPicks, ushort[] offsets, byte[] errorPicks)
    {
        var calls = Calls(modelPicks, offsets, errorPicks).OrderBy(c => c.End).ToList();
        var (events, late) = Run(calls);

        var expected = calls
            .GroupBy(c => (c.Model, Start: c.End.UtcTicks - (c.End.UtcTicks % TimeSpan.TicksPerMinute)))
            .ToDictionary(g => g.Key, g => (Total: (ulong)g.Count(), Failed: (ulong)g.Count(c => c.Error is not null), Breakdown: g.Where(c => c.Error is not null).GroupBy(c => c.Error!).ToDictionary(b => b.Key, b => (ulong)b.Count())));
        var actual = events.ToDictionary(e => (((ErrorRateMetrics)e.Payload).ModelId, e.Timestamp.UtcTicks), e => (ErrorRateMetrics)e.Payload);
        return late == 0
            && actual.Count == expected.Count
            && expected.All(kv => actual.TryGetValue(kv.Key, out var rate)
                && rate.TotalRequests == kv.Value.Total
                && rate.FailedRequests == kv.Value.Failed
                && rate.ErrorBreakdown.Count == kv.Value.Breakdown.Count
                && kv.Value.Breakdown.All(b => rate.ErrorBreakdown[b.Key] == b.Value)
                && Math.Abs(rate.ErrorRatePercent - (kv.Value.Failed * 100.0 / kv.Value.Total)) < 1e-9);
    }

    [Property(MaxTest = 300)]
    public bool CloseAll_CallsInAnyOrder_EveryCallCountedOnceOrLate(byte[] modelPicks, ushort[] offsets, byte[] errorPicks)
    {
        var calls = Calls(modelPicks, offsets, errorPicks);
        var (events, late) = Run(calls);
        var counted = events.Sum(e => (long)((ErrorRateMetrics)e.Payload).TotalRequests);
        var keys = events.Select(e => (((ErrorRateMetrics)e.Payload).ModelId, e.Timestamp)).ToList();
        return counted + late == calls.Count && keys.Distinct().Count() == keys.Count;
    }

    private static (List<AnalyticsEvent> Events, long Late) Run(List<(string Model, DateTimeOffset End, string? Error)> calls)
    {
        var windows = new ErrorRateWindows(TimeSpan.FromMinutes(1), TimeSpan.Zero, "prod");
        var events = new List<AnalyticsEvent>();
        foreach (var (model, end, error) in calls)
        {
            windows.Add(model, null, end, error, events);
        }

        windows.CloseAll(events);
        return (events, windows.Late);
    }

    private static List<(string Model, DateTimeOffset End, string? Error)> Calls(byte[] modelPicks, ushort[] offsets, byte[] errorPicks)
    {
        var count = Math.Min(modelPicks?.Length ?? 0, offsets?.Length ?? 0);
        var calls = new List<(string, DateTimeOffset, string?)>(count);
        for (var i = 0; i < count; i++)
        {
            var error = errorPicks is { Length: > 0 } ? Errors[errorPicks[i % errorPicks.Length] % Errors.Length] : null;
            calls.Add((Models[modelPicks![i] % Models.Length], T0.AddMilliseconds(offsets![i] * 10.0), error));
        }

        return calls;
    }
}
