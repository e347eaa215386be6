using AnalyticsHub.Events;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// In which minutes each producer module delivered, and when it fell silent: a run of minutes in which a module
/// delivered nothing, although it had delivered in every one of the <see cref="BusyMinutes"/> minutes before it (a busy
/// module falling silent), is missing data for the module's series, not minutes of zero (<see cref="IsSilent"/>; a
/// <c>sum</c> or <c>count</c> series fills only the other minutes with zero).
/// </summary>
/// <remarks>
/// Per module, a ring of minutes (the newest minute that mapped to each slot), created at the module's first event: one
/// division and one comparison per event, and one store per new minute. An event counts only while its minute is not yet
/// closed by the metrics stage's rule (the newest event time seen, in stream order, less the allowed lateness), so a late
/// event counts whichever batch brings it, as its window refused it. A quiet module (a sentinel that logs a few
/// logins an hour) is often without an event for some minutes and is never silent: its empty minutes stay zeros. The ring holds <c>MaxFillMinutes</c>, the hour before and a day more, so a batch may run a day of event time
/// past the window whose gap is filled.
/// </remarks>
internal sealed class ModuleDelivery
{
    /// <summary>The minutes before a run of empty minutes in each of which the module must have delivered for the run to be a silence.</summary>
    public const int BusyMinutes = 60;

    private readonly Ring?[] _rings = new Ring?[Enum.GetValues<SourceModule>().Length];
    private readonly int _ringMinutes;
    private readonly long _latenessTicks;
    private long _newestTicks = long.MinValue;

    /// <param name="fillMinutes">The most minutes a series fills (<c>MaxFillMinutes</c>).</param>
    /// <param name="lateness">The metrics stage's allowed lateness: an event whose minute is older than the newest event time less this is late.</param>
    public ModuleDelivery(int fillMinutes, TimeSpan lateness)
    {
        _ringMinutes = fillMinutes + BusyMinutes + (int)(TimeSpan.TicksPerDay / TimeSpan.TicksPerMinute);
        _latenessTicks = lateness.Ticks;
    }

    /// <summary>Sees one producer event of <paramref name="module"/> at <paramref name="ticks"/>, in stream order.</summary>
    public void Saw(SourceModule module, long ticks)
    {
        _newestTicks = Math.Max(_newestTicks, ticks);
        var minute = ticks / TimeSpan.TicksPerMinute;
        if (minute < (_newestTicks - _latenessTicks) / TimeSpan.TicksPerMinute)
        {
            return;
        }

        var ring = _rings[(int)module] ??= new Ring(_ringMinutes);
        var slot = (int)(minute % _ringMinutes);
        if (minute > ring.Minutes[slot])
        {
            ring.Minutes[slot] = minute;
        }
    }

    /// <summary>
    /// Whether the minute starting at <paramref name="minuteStartTicks"/> lies in a silence of <paramref name="module"/>:
    /// a run of minutes without any of its on-time events, after <see cref="BusyMinutes"/> minutes with at least one
    /// each. Asked for a minute no event of the module has closed yet, the run ends at the newest minute seen. The last
    /// run that is over is remembered per module, so filling a run costs one pass over it.
    /// </summary>
    public bool IsSilent(SourceModule module, long minuteStartTicks)
    {
        var minute = minuteStartTicks / TimeSpan.TicksPerMinute;
        if (_rings[(int)module] is not { } ring || ring.Delivered(minute, _ringMinutes))
        {
            return false;
        }

        if (minute >= ring.RunStart && minute <= ring.RunEnd)
        {
            return ring.RunSilent;
        }

        var newest = _newestTicks / TimeSpan.TicksPerMinute;
        var start = minute;
        while (minute - start < _ringMinutes - BusyMinutes && !ring.Delivered(start - 1, _ringMinutes))
        {
            start--;
        }

        var end = minute;
        while (end < newest && end - start < _ringMinutes - BusyMinutes && !ring.Delivered(end + 1, _ringMinutes))
        {
            end++;
        }

        var silent = true;
        for (var m = start - BusyMinutes; m < start && silent; m++)
        {
            silent = ring.Delivered(m, _ringMinutes);
        }
        if (ring.Delivered(end + 1, _ringMinutes))
        {
            // The run is over: remember it for its other minutes.
            (ring.RunStart, ring.RunEnd, ring.RunSilent) = (start, end, silent);
        }

        return silent;
    }

    /// <summary>One module's minutes: the newest minute of each slot, and the last run of empty minutes judged.</summary>
    private sealed class Ring
    {
        public Ring(int minutes)
        {
            Minutes = new long[minutes];
            Array.Fill(Minutes, long.MinValue);
        }

        public long[] Minutes { get; }

        public long RunStart { get; set; } = long.MaxValue;

        public long RunEnd { get; set; } = long.MinValue;

        public bool RunSilent { get; set; }

        public bool Delivered(long minute, int length) => Minutes[(int)(minute % length)] == minute;
    }
}
