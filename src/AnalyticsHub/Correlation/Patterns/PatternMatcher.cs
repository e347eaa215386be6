using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation.Patterns;

/// <summary>
/// Matches <see cref="CorrelationPattern"/>s over the stream as an automaton: it keeps, per pattern and step, the latest
/// partial match that reached the step, advances them with each event in event-time order, and reports a
/// <see cref="PatternMatch"/> when an event completes one. Never a rescan of past events.
/// </summary>
/// <remarks>
/// <para>
/// <b>What a match is</b>: events e₁, …, eₘ in (event time, event id) order where eₖ comes from step k's module with its
/// event type and meets all its conditions, and eₖ's time is at most step k's <see cref="PatternStep.TimeOffsetMs"/>
/// after eₖ₋₁'s (no bound when null). Each event that completes at least one match of a pattern reports one match of
/// it: the one built from the latest event of each earlier step that still fits.
/// </para>
/// <para>
/// <b>Delivery order</b>: an event is tested against the steps of its module and type when it arrives; the events that
/// meet a step wait, like the incident builder's evidence, until the newest event time is the allowed lateness past
/// them, and then advance the automaton in (time, id) order. So delivery order within the lateness and duplicates
/// change nothing; an event later than that is skipped and counted.
/// </para>
/// <para>
/// <b>Bounded</b>: in time order the latest partial of a step can be extended by every event an earlier one can, so
/// the automaton holds at most one partial per pattern and step; the waiting events are at most
/// <see cref="MaxWaiting"/> (beyond it the earliest advance early, counted). Per event: one array lookup by module and
/// type, then only the conditions of the steps of that module and type. Single-threaded.
/// </para>
/// </remarks>
internal sealed class PatternMatcher
{
    /// <summary>The most step-meeting events waiting for the lateness to pass.</summary>
    public const int MaxWaiting = 100_000;

    private const int Modules = 8;
    private const int EventTypes = 8;

    private readonly CompiledPattern[] _patterns;
    private readonly (int Pattern, int Step)[][] _byKind;
    private readonly Partial?[][] _partials;
    private readonly PriorityQueue<Hit, (long Ticks, Guid Id)> _waiting = new();
    private readonly List<(int Pattern, int Step)> _steps = [];
    private readonly long _lateness;
    private readonly int _maxWaiting;
    private long _watermark = long.MinValue;
    private (long Ticks, Guid Id) _last = (long.MinValue, Guid.Empty);

    public PatternMatcher(CompiledPattern[] patterns, TimeSpan allowedLateness, int maxWaiting = MaxWaiting)
    {
        _patterns = patterns;
        _lateness = allowedLateness.Ticks;
        _maxWaiting = maxWaiting;
        var byKind = new List<(int, int)>[Modules * EventTypes];
        _partials = new Partial?[patterns.Length][];
        for (var p = 0; p < patterns.Length; p++)
        {
            var steps = patterns[p].Steps;
            _partials[p] = new Partial?[steps.Length];
            // Later steps first, so an event never extends a partial it made itself.
            for (var k = steps.Length - 1; k >= 0; k--)
            {
                (byKind[Kind(steps[k].Module, steps[k].EventType)] ??= []).Add((p, k));
            }
        }

        _byKind = [.. byKind.Select(list => list is null ? [] : list.ToArray())];
    }

    /// <summary>Events skipped as later than the allowed lateness.</summary>
    public long LateEvents { get; private set; }

    /// <summary>Waiting events advanced before the lateness passed because <see cref="MaxWaiting"/> was reached.</summary>
    public long AdvancedEarly { get; private set; }

    /// <summary>Step-meeting events waiting for the lateness to pass.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Takes the next delivered event: updates the newest event time and, when it meets a step, queues it.</summary>
    /// <param name="evt">The event.</param>
    /// <param name="completed">Where matches go when the waiting queue is full and its earliest event advances now.</param>
    public void Observe(AnalyticsEvent evt, List<PatternMatch> completed)
    {
        if (_patterns.Length == 0)
        {
            return;
        }

        var common = evt.Common;
        var ticks = common.Timestamp.UtcTicks;
        if (_watermark != long.MinValue && ticks < _watermark - _lateness)
        {
            LateEvents++;
            return;
        }

        if (common.SourceModule != SourceModule.LlmAnalyticsHub)
        {
            // As in the incident builder, only the producers' events move event time: a derived event's time is its
            // evidence's, and the stage takes a batch's derived events before the batch's own.
            _watermark = Math.Max(_watermark, ticks);
        }

        if ((uint)common.SourceModule >= Modules || (uint)common.EventType >= EventTypes)
        {
            return;
        }

        _steps.Clear();
        foreach (var (p, k) in _byKind[Kind(common.SourceModule, common.EventType)])
        {
            if (_patterns[p].Steps[k].Holds(evt))
            {
                _steps.Add((p, k));
            }
        }

        if (_steps.Count == 0)
        {
            return;
        }

        if (_waiting.Count >= _maxWaiting)
        {
            AdvancedEarly++;
            Release(_waiting.Dequeue(), completed);
        }

        _waiting.Enqueue(new Hit(ticks, common.EventId, [.. _steps]), (ticks, common.EventId));
    }

    /// <summary>Advances the automaton with the waiting events the allowed lateness has passed, in (time, id) order.</summary>
    public void Advance(List<PatternMatch> completed)
    {
        var horizon = _watermark == long.MinValue ? long.MinValue : _watermark - _lateness;
        while (_waiting.TryPeek(out var hit, out _) && hit.Ticks < horizon)
        {
            Release(_waiting.Dequeue(), completed);
        }
    }

    /// <summary>Advances the automaton with every waiting event (the stream ended).</summary>
    public void Flush(List<PatternMatch> completed)
    {
        while (_waiting.TryDequeue(out var hit, out _))
        {
            Release(hit, completed);
        }
    }

    private void Release(Hit hit, List<PatternMatch> completed)
    {
        if ((hit.Ticks, hit.Id) == _last)
        {
            return; // A duplicate delivery of the event just advanced.
        }

        _last = (hit.Ticks, hit.Id);
        foreach (var (p, k) in hit.Steps)
        {
            var pattern = _patterns[p];
            Partial? previous = null;
            if (k > 0)
            {
                previous = _partials[p][k - 1];
                if (previous is null || hit.Ticks - previous.Ticks > pattern.Steps[k].MaxGapTicks)
                {
                    continue;
                }
            }

            Guid[] chain = previous is null ? [hit.Id] : [.. previous.Events, hit.Id];
            var start = previous?.StartTicks ?? hit.Ticks;
            if (k == pattern.Steps.Length - 1)
            {
                completed.Add(new PatternMatch(pattern, chain, start, hit.Ticks));
            }
            else
            {
                _partials[p][k] = new Partial(hit.Ticks, start, chain);
            }
        }
    }

    private static int Kind(SourceModule module, EventType type) => ((int)module * EventTypes) + (int)type;

    private sealed record Hit(long Ticks, Guid Id, (int Pattern, int Step)[] Steps);

    private sealed record Partial(long Ticks, long StartTicks, Guid[] Events);
}
