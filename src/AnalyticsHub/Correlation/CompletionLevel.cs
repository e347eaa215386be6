namespace AnalyticsHub.Correlation;

/// <summary>
/// The completion tokens per request of one model and feature, counted from a usage-only change that names both (a
/// prompt-template change) on: the level in the first alignment window after the change (before its effect has ramped
/// up), the level over the latest alignment window, and the highest such level since. The builder reads it to tell
/// whether the change's effect lasts (<see cref="Lasts"/>) after the episode that showed it has closed, and where the
/// effect began (<see cref="GrowthOnset"/>).
/// </summary>
/// <remarks>
/// Requests are counted per minute of event time in a ring that covers the span the builder asks for (the dormant window,
/// the allowed lateness and two alignment windows and incident gaps), so a level read at an aggregate's time sees every
/// request within the lateness bound, whatever order they came in, and the growth onset sees every minute from the
/// change to the adopting episode. The
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
    private readonly long _firstMinute;
    private readonly double[] _baselineMinuteTokens;
    private readonly int[] _baselineMinuteRequests;
    private double _baselineTokens;
    private int _baselineRequests;
    private double _peak = double.NegativeInfinity;
    private bool _ended;
    private long? _onset;

    /// <param name="change">The change it counts from.</param>
    /// <param name="seenAt">The event time when the change was seen (a change delivered late is counted from then).</param>
    /// <param name="window">The alignment window, in ticks: the span of the level before the effect, and of each later level.</param>
    /// <param name="span">How long, in ticks, the per-minute counts are kept: at least the allowed lateness (how far behind the newest event a level is read) and two windows.</param>
    public CompletionLevel(Evidence change, long seenAt, long window, long span)
    {
        Change = change;
        _window = window;
        _baselineEnd = Math.Max(change.Ticks, seenAt) + window;
        _firstMinute = change.Ticks / TimeSpan.TicksPerMinute;
        var baselineMinutes = (int)(((_baselineEnd - 1) / TimeSpan.TicksPerMinute) - _firstMinute + 1);
        _baselineMinuteTokens = new double[baselineMinutes];
        _baselineMinuteRequests = new int[baselineMinutes];
        var size = (int)(span / TimeSpan.TicksPerMinute) + 2;
        _minutes = new long[size];
        Array.Fill(_minutes, long.MinValue);
        _tokens = new double[size];
        _requests = new int[size];
    }

    /// <summary>The change the level is counted from.</summary>
    public Evidence Change { get; }

    /// <summary>Whether an incident adopted <see cref="Change"/>: the level is kept while that incident is open.</summary>
    public bool Adopted { get; set; }

    /// <summary>The bytes it retains (its ring and the per-minute level before), for the memory report.</summary>
    public int RetainedBytes => (_minutes.Length + _baselineMinuteRequests.Length) * 20;

    /// <summary>Counts one request's completion tokens at its event time.</summary>
    public void Add(long ticks, uint completionTokens)
    {
        if (ticks < Change.Ticks)
        {
            return;
        }

        var minute = ticks / TimeSpan.TicksPerMinute;
        if (ticks < _baselineEnd)
        {
            _baselineTokens += completionTokens;
            _baselineRequests++;
            _baselineMinuteTokens[minute - _firstMinute] += completionTokens;
            _baselineMinuteRequests[minute - _firstMinute]++;
        }

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

    /// <summary>
    /// Where the change's effect began, read at <paramref name="ticks"/> (once; later reads return the first answer): the
    /// minute a level, flat from the change on, turns into a rise, by a least-squares fit of a hinge — the completion
    /// tokens per request flat up to a minute and rising linearly after it — to the per-minute levels from the change to
    /// <paramref name="ticks"/>, each minute weighted by its requests. A template's effect ramps up from nothing a lag
    /// after the change, so the minutes between are its old traffic. The change's own time when no rise fits (no
    /// requests, or the best fit does not rise).
    /// </summary>
    public long GrowthOnset(long ticks)
    {
        return _onset ??= Fit();

        long Fit()
        {
            var first = Change.Ticks / TimeSpan.TicksPerMinute;
            var last = Math.Min(ticks / TimeSpan.TicksPerMinute, first + _minutes.Length - 1);
            var count = (int)(last - first + 1);
            if (count < 3)
            {
                return Change.Ticks;
            }

            // Weighted sums over the minutes with requests: n (requests), t (tokens), and for a hinge at minute c the
            // regressor u = max(0, m - c): the fit's explained sum is (Σ u t − Σ n u · Σ t / Σ n)² / (Σ n u² − (Σ n u)² / Σ n).
            double requests = 0, tokens = 0;
            for (var m = first; m <= last; m++)
            {
                var slot = (int)(m % _minutes.Length);
                if (_minutes[slot] == m)
                {
                    requests += _requests[slot];
                    tokens += _tokens[slot];
                }
            }

            if (requests == 0)
            {
                return Change.Ticks;
            }

            var best = 0.0;
            var onset = Change.Ticks;
            for (var c = first; c < last - 1; c++)
            {
                double nu = 0, nuu = 0, ut = 0;
                for (var m = c + 1; m <= last; m++)
                {
                    var slot = (int)(m % _minutes.Length);
                    if (_minutes[slot] == m)
                    {
                        var u = m - c;
                        nu += u * (double)_requests[slot];
                        nuu += u * (double)u * _requests[slot];
                        ut += u * _tokens[slot];
                    }
                }

                var suu = nuu - (nu * nu / requests);
                var sut = ut - (nu * tokens / requests);
                if (suu > 0 && sut > 0 && sut * sut / suu > best)
                {
                    best = sut * sut / suu;
                    onset = Math.Max(Change.Ticks, c * TimeSpan.TicksPerMinute);
                }
            }

            return onset;
        }
    }

    /// <summary>
    /// Whether the change's effect shows at <paramref name="ticks"/>, however long after the change: the completion tokens
    /// per request over the alignment window ending then stand above the level of every minute of the first alignment
    /// window after the change (the level before). No threshold: the minutes before the effect give the spread of the old
    /// level, and the latest level, pooled over a window, must clear all of it. Unlike <see cref="Lasts"/> it needs no
    /// highest level read before, so it can be asked of a change no incident has adopted; false before the level before
    /// is known, and for a window without requests.
    /// </summary>
    public bool StaysRaised(long ticks)
    {
        if (!Measurable(ticks))
        {
            return false;
        }

        var before = double.NegativeInfinity;
        for (var k = 0; k < _baselineMinuteRequests.Length; k++)
        {
            if (_baselineMinuteRequests[k] > 0)
            {
                before = Math.Max(before, _baselineMinuteTokens[k] / _baselineMinuteRequests[k]);
            }
        }

        var level = WindowLevel(ticks);
        return !double.IsNaN(level) && level > before;
    }

    private bool Measurable(long ticks) => _baselineRequests > 0 && ticks >= _baselineEnd + _window;

    /// <summary>The completion tokens per request over the alignment window ending at <paramref name="ticks"/>, raising the highest level; NaN with no request.</summary>
    private double Level(long ticks)
    {
        var level = WindowLevel(ticks);
        if (!double.IsNaN(level))
        {
            _peak = Math.Max(_peak, level);
        }

        return level;
    }

    /// <summary>The completion tokens per request over the alignment window ending at <paramref name="ticks"/>; NaN with no request.</summary>
    private double WindowLevel(long ticks)
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

        return requests == 0 ? double.NaN : tokens / requests;
    }
}
