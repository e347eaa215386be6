namespace AnalyticsHub.Correlation;

/// <summary>
/// The completion tokens per request of one model and feature, counted from a usage-only change that names both (a
/// prompt-template change) on: the level in the first alignment window after the change (before its effect has ramped
/// up), the level over the latest <see cref="RecentSpan"/>, and the highest such level since. The builder reads it to tell
/// whether the change's effect lasts (<see cref="Lasts"/>) after the episode that showed it has closed.
/// </summary>
/// <remarks>
/// Requests are counted per minute of event time in a ring that covers the allowed lateness and the latest level's span, so
/// a level read at an aggregate's time sees every request within the lateness bound, whatever order they came in. The
/// reads come in event-time order (the builder's grouping order), and <see cref="Lasts"/> latches once the level falls
/// back, so the answer depends only on the events.
/// </remarks>
internal sealed class CompletionLevel
{
    /// <summary>
    /// The span of the latest level: two minutes of requests, so an effect that ends shows within a minute or two (one
    /// minute holds too few requests of a quiet feature to tell its level from its noise).
    /// </summary>
    private static readonly long RecentSpan = 2 * TimeSpan.TicksPerMinute;

    private readonly long[] _minutes;
    private readonly double[] _tokens;
    private readonly int[] _requests;
    private readonly long _baselineEnd;
    private double _baselineTokens;
    private int _baselineRequests;
    private double _peak = double.NegativeInfinity;
    private bool _ended;

    /// <param name="change">The change it counts from.</param>
    /// <param name="seenAt">The event time when the change was seen (a change delivered late is counted from then).</param>
    /// <param name="window">The alignment window, in ticks: the span of the level before the effect.</param>
    /// <param name="lateness">The allowed lateness, in ticks: how far behind the newest event a level is read.</param>
    public CompletionLevel(Evidence change, long seenAt, long window, long lateness)
    {
        Change = change;
        _baselineEnd = Math.Max(change.Ticks, seenAt) + window;
        var size = (int)((lateness + RecentSpan) / TimeSpan.TicksPerMinute) + 2;
        _minutes = new long[size];
        Array.Fill(_minutes, long.MinValue);
        _tokens = new double[size];
        _requests = new int[size];
    }

    /// <summary>The change the level is counted from.</summary>
    public Evidence Change { get; }

    /// <summary>Whether an incident adopted <see cref="Change"/>: the level is kept while that incident is open.</summary>
    public bool Adopted { get; set; }

    /// <summary>The bytes it retains (its ring), for the memory report.</summary>
    public int RetainedBytes => _minutes.Length * 20;

    /// <summary>Counts one request's completion tokens at its event time.</summary>
    public void Add(long ticks, uint completionTokens)
    {
        if (ticks < Change.Ticks)
        {
            return;
        }

        if (ticks < _baselineEnd)
        {
            _baselineTokens += completionTokens;
            _baselineRequests++;
        }

        var minute = ticks / TimeSpan.TicksPerMinute;
        var slot = (int)(minute % _minutes.Length);
        if (_minutes[slot] != minute)
        {
            if (_minutes[slot] > minute)
            {
                // Older than the ring covers: beyond the allowed lateness of the levels still to be read.
                return;
            }

            _minutes[slot] = minute;
            _tokens[slot] = 0;
            _requests[slot] = 0;
        }

        _tokens[slot] += completionTokens;
        _requests[slot]++;
    }

    /// <summary>
    /// Whether the change's effect lasts at <paramref name="ticks"/>: the completion tokens per request over the
    /// <see cref="RecentSpan"/> ending then stand above halfway from the level before the change to the highest level since. Not before
    /// the level before the change is known, nor when it is unknown (no request counted): the effect is then not shown.
    /// Once the level has fallen back the effect has ended for good. A window without requests changes nothing.
    /// </summary>
    public bool Lasts(long ticks)
    {
        if (_ended || _baselineRequests == 0 || ticks < _baselineEnd + RecentSpan)
        {
            return false;
        }

        double tokens = 0;
        var requests = 0;
        var last = ticks / TimeSpan.TicksPerMinute;
        for (var minute = (ticks - RecentSpan) / TimeSpan.TicksPerMinute; minute <= last; minute++)
        {
            var slot = (int)(minute % _minutes.Length);
            if (_minutes[slot] == minute && minute * TimeSpan.TicksPerMinute >= ticks - RecentSpan)
            {
                tokens += _tokens[slot];
                requests += _requests[slot];
            }
        }

        if (requests == 0)
        {
            return true;
        }

        var level = tokens / requests;
        var before = _baselineTokens / _baselineRequests;
        _peak = Math.Max(_peak, level);
        _ended = level <= before + ((_peak - before) / 2);
        return !_ended;
    }
}
