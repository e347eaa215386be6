using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// Estimates each producer module's clock offset against the request telemetry of <c>llm-observatory</c>, the bulk of
/// the stream: events arrive roughly in true-time order, so an event's timestamp minus the timestamp of the latest
/// observatory event delivered before it is, on the median, its module's offset. A streaming median (a step of one second
/// towards each clipped deviation) keeps a minority of late deliveries (late roots, a queue's retries) from moving it.
/// </summary>
/// <remarks>
/// Only differences of offsets matter (a lag between two modules), so the reference's own offset is 0 by definition; a
/// stream without observatory events gets no correction. Constant memory; single-threaded.
/// </remarks>
internal sealed class ClockSkewEstimator
{
    /// <summary>The observations a module needs before its estimate is used.</summary>
    public const int MinimumObservations = 30;

    /// <summary>The largest deviation one event may show (5 minutes, the validator's future-skew bound).</summary>
    public static readonly long MaxSkewTicks = TimeSpan.FromMinutes(5).Ticks;

    private const SourceModule Reference = SourceModule.LlmObservatory;
    private static readonly long Step = TimeSpan.TicksPerSecond;
    private static readonly int ModuleCount = Enum.GetValues<SourceModule>().Length;
    private readonly long[] _skew = new long[ModuleCount];
    private readonly long[] _seen = new long[ModuleCount];
    private long _referenceTicks = long.MinValue;

    /// <summary>Takes the next delivered event (derived events are passed over: their times are their evidence's).</summary>
    public void Observe(AnalyticsEvent evt)
    {
        var module = evt.SourceModule;
        var ticks = evt.Timestamp.UtcTicks;
        if (module == Reference)
        {
            _referenceTicks = ticks;
            return;
        }

        if (module == SourceModule.LlmAnalyticsHub || _referenceTicks == long.MinValue || (int)module >= ModuleCount)
        {
            return;
        }

        var deviation = ticks - _referenceTicks;
        if (Math.Abs(deviation) > MaxSkewTicks)
        {
            return;
        }

        var index = (int)module;
        _skew[index] += Math.Sign(deviation - _skew[index]) * Step;
        _seen[index]++;
    }

    /// <summary>The estimated offset of a module's clock from the observatory's, in ticks (0 for a module seen too rarely to say).</summary>
    public long SkewOf(SourceModule module) =>
        (int)module < ModuleCount && _seen[(int)module] >= MinimumObservations ? _skew[(int)module] : 0;
}
