namespace AnalyticsHub.Correlation;

/// <summary>
/// The completion tokens per request of one model and feature, counted from a usage-only change that names both (a
/// prompt-template change) on: the level in the first alignment window after the change (before its effect has ramped
/// up), the level over the latest alignment window, and the highest such level since. The builder reads it to tell
/// whether the change's effect lasts (<see cref="Lasts"/>) after the episode that showed it has closed.
/// </summary>
/// <remarks>
/// Requests are counted per minute of event time in a ring that covers the allowed lateness and two alignment windows, so
/// a level read at an aggregate's time sees every request within the lateness bound, whatever order they came in. The
/// reads come in event-time order (the builder's grouping order), and <see cref="Lasts"/> latches once the level falls
/// back, so the answer depends only on the events.
/// </remarks>
internal sealed class CompletionLevel
{
    private readonly long _window;
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
    /// <param name="window">The alignment window, in ticks: the span of the level before the effect, and of each later level.</param>
    /// <param name="lateness">The allowed lateness, in ticks: how far behind the newest event a level is read.</param>
    public CompletionLevel(Evidence change, long seenAt, long window, long lateness)
    {
        Change = change;
        _window = window;
        _baselineEnd = Math.Max(change.Ticks, seenAt) + window;
        var size = (int)((lateness + (2 * window)) / TimeSpan.TicksPerMinute) + 2;
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
    /// Whether the change's effect lasts at <paramref name="ticks"/>: the completion tokens per request over the alignment
    /// window ending then stand above halfway from the level before the change to the highest level since. Not before
    /// the level before the change is known, nor when it is unknown (no request counted): the effect is then not shown.
    /// Once the level has fallen back the effect has ended for good. A window without requests changes nothing.
    /// </summary>
    public bool Lasts(long ticks)
    {
        if (_ended || !Measurable(ticks))
        {
            return false;
        }

        var level = Level(ticks);
        if (double.IsNaN(level))
        {
            return true;
        }

        var before = _baselineTokens / _baselineRequests;
        _ended = level <= before + ((_peak - before) / 2);
        return !_ended;
    }

    /// <summary>
    /// Reads the level at <paramref name="ticks"/> while the episode that showed the effect still lasts, so the highest
    /// level counts from the change on — not from the first read after that episode, when the level may already be
    /// falling (an effect that ends as its episode closes).
    /// </summary>
    public void Follow(long ticks)
    {
        if (!_ended && Measurable(ticks))
        {
            Level(ticks);
        }
    }

    private bool Measurable(long ticks) => _baselineRequests > 0 && ticks >= _baselineEnd + _window;

    /// <summary>The completion tokens per request over the alignment window ending at <paramref name="ticks"/>, raising the highest level; NaN with no request.</summary>
    private double Level(long ticks)
    {
        double tokens = 0;
        var requests = 0;
        var last = ticks / TimeSpan.TicksPerMinute;
        for (var minute = (ticks - _window) / TimeSpan.TicksPerMinute; minute <= last; minute++)
        {
            var slot = (int)(minute % _minutes.Length);
            if (_minutes[slot] == minute && minute * TimeSpan.TicksPerMinute >= ticks - _window)
            {
                tokens += _tokens[slot];
                requests += _requests[slot];
            }
        }

        if (requests == 0)
        {
            return double.NaN;
        }

        var level = tokens / requests;
        _peak = Math.Max(_peak, level);
        return level;
    }
}
