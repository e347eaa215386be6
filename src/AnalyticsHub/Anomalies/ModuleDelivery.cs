using AnalyticsHub.Events;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// What each producer module delivered, minute by minute, and when it fell silent: a run of minutes in which a module
/// delivered nothing, although its rate over the hour before would have delivered at least
/// <see cref="SilenceEvidence"/> events, is missing data for the module's series, not minutes of zero
/// (<see cref="IsSilent"/>; a <c>sum</c> or <c>count</c> series fills only the other minutes with zero).
/// </summary>
/// <remarks>
/// Per module, a ring of minutes (the newest minute that mapped to each slot and its events), created at the module's
/// first event: one division, one comparison and one store per event. An event counts only while its minute is not yet
/// closed by the metrics stage's rule (the newest event time seen, in stream order, less the allowed lateness), so a late
/// event counts whichever batch brings it, as its window refused it. A quiet module (a sentinel that logs a few
/// logins an hour) is often without an event for some minutes; those stay minutes of zero unless the run is long for its
/// rate. The ring holds <c>MaxFillMinutes</c>, the hour before and a day more, so a batch may run a day of event time
/// past the window whose gap is filled.
/// </remarks>
internal sealed class ModuleDelivery
{
    /// <summary>The events a module's rate over the hour before a run of empty minutes must predict in it for the run to be a silence (Poisson chance of none e⁻¹⁰ ≈ 5·10⁻⁵).</summary>
    public const double SilenceEvidence = 10;

    /// <summary>The minutes before a run of empty minutes whose events give the module's rate.</summary>
    public const int RateMinutes = 60;

    private readonly Ring?[] _rings = new Ring?[Enum.GetValues<SourceModule>().Length];
    private readonly int _ringMinutes;
    private readonly long _latenessTicks;
    private long _newestTicks = long.MinValue;

    /// <param name="fillMinutes">The most minutes a series fills (<c>MaxFillMinutes</c>).</param>
    /// <param name="lateness">The metrics stage's allowed lateness: an event whose minute is older than the newest event time less this is late.</param>
    public ModuleDelivery(int fillMinutes, TimeSpan lateness)
    {
        _ringMinutes = fillMinutes + RateMinutes + (int)(TimeSpan.TicksPerDay / TimeSpan.TicksPerMinute);
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
        if (ring.Minutes[slot] == minute)
        {
            ring.Events[slot]++;
        }
        else if (minute > ring.Minutes[slot])
        {
            ring.Minutes[slot] = minute;
            ring.Events[slot] = 1;
        }
    }

    /// <summary>
    /// Whether the minute starting at <paramref name="minuteStartTicks"/> lies in a silence of <paramref name="module"/>:
    /// a run of minutes without any of its on-time events in which its rate over the <see cref="RateMinutes"/> before
    /// the run predicts at least <see cref="SilenceEvidence"/> events. Asked for a minute no event of the module has
    /// closed yet, the run ends at the newest minute seen. The last run that is over is remembered per module, so
    /// filling a run costs one pass over it.
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
        while (minute - start < _ringMinutes - RateMinutes && !ring.Delivered(start - 1, _ringMinutes))
        {
            start--;
        }

        var end = minute;
        while (end < newest && end - start < _ringMinutes - RateMinutes && !ring.Delivered(end + 1, _ringMinutes))
        {
            end++;
        }

        var silent = true;
        for (var m = start - RateMinutes; m < start && silent; m++)
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

    /// <summary>One module's minutes: the newest minute of each slot and its events, and the last run of empty minutes judged.</summary>
    private sealed class Ring
    {
        public Ring(int minutes)
        {
            Minutes = new long[minutes];
            Array.Fill(Minutes, long.MinValue);
            Events = new int[minutes];
        }

        public long[] Minutes { get; }

        public int[] Events { get; }

        public long RunStart { get; set; } = long.MaxValue;

        public long RunEnd { get; set; } = long.MinValue;

        public bool RunSilent { get; set; }

        public bool Delivered(long minute, int length) => Minutes[(int)(minute % length)] == minute;

        public int EventsIn(long minute, int length) => Delivered(minute, length) ? Events[(int)(minute % length)] : 0;
    }
}
