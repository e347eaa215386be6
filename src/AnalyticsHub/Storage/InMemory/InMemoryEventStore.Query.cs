using AnalyticsHub.Events;

namespace AnalyticsHub.Storage.InMemory;

public sealed partial class InMemoryEventStore
{
    private static readonly Comparison<(long Ticks, ulong Sequence, AnalyticsEvent Event)> Ascending =
        static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Sequence.CompareTo(b.Sequence);

    private static readonly Comparison<(long Ticks, ulong Sequence, AnalyticsEvent Event)> Descending =
        static (a, b) => Ascending(b, a);

    /// <inheritdoc />
    public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var page = EventPageCollector.Start(query);
        var started = _time.GetTimestamp();
        EnforceMaxAge();
        var matcher = new EventMatcher(query);
        long scanned = 0;
        ulong total;

        _lock.EnterReadLock();
        try
        {
            if (matcher.CorrelationId is { } correlationId)
            {
                total = QueryCorrelation(correlationId, matcher, page, ref scanned);
            }
            else
            {
                total = CountLocked(matcher, ref scanned);
                Merge(matcher, page, ref scanned);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return ValueTask.FromResult(page.ToPage(total, scanned, _time.GetElapsedTime(started)));
    }

    /// <inheritdoc />
    public ValueTask<ulong> CountAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (query.ValidateFilter() is { Count: > 0 } problems)
        {
            throw new InvalidQueryException("The event filter is invalid.", problems);
        }

        EnforceMaxAge();
        var matcher = new EventMatcher(query);
        long scanned = 0;
        _lock.EnterReadLock();
        try
        {
            if (matcher.CorrelationId is { } correlationId)
            {
                return ValueTask.FromResult(QueryCorrelation(correlationId, matcher, null, ref scanned));
            }

            return ValueTask.FromResult(CountLocked(matcher, ref scanned));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Counts matches: index range lengths where the indexes answer everything, a scan of the range otherwise.</summary>
    private ulong CountLocked(EventMatcher matcher, ref long scanned)
    {
        _blocks.FindRange(matcher.FromTicks, matcher.ToTicks, out var lo, out var hi);
        Span<RunCursor> runs = new RunCursor[EventBlock.Groups];
        ulong total = 0;
        for (var b = lo; b < hi; b++)
        {
            if (_blocks.MaxTicks(b) < matcher.FromTicks || _blocks.MinTicks(b) >= matcher.ToTicks)
            {
                continue;
            }

            var block = _blocks[b];
            var exact = !matcher.HasResidual && block.FirstSequence >= _minLive;
            var count = CollectRuns(block, matcher, runs);
            for (var r = 0; r < count; r++)
            {
                ref var run = ref runs[r];
                if (exact)
                {
                    total += (ulong)(run.Hi - run.Lo);
                    continue;
                }

                for (var i = run.Lo; i < run.Hi; i++)
                {
                    var position = run.Positions[i];
                    scanned++;
                    if (block.FirstSequence + position >= _minLive
                        && (!matcher.HasResidual || matcher.MatchesResidual(block.Events[position]!, block.Types[position])))
                    {
                        total++;
                    }
                }
            }
        }

        return total;
    }

    /// <summary>Walks the matching index runs of the candidate blocks in order with a heap, adding blocks lazily by their time bound.</summary>
    private void Merge(EventMatcher matcher, EventPageCollector page, ref long scanned)
    {
        var descending = page.Descending;
        var hasCursor = page.HasCursor;
        var cursorTicks = page.CursorTicks;
        var cursorSequence = page.CursorSequence;
        var from = matcher.FromTicks;
        var to = matcher.ToTicks;
        if (hasCursor)
        {
            // Keys strictly after the cursor lie at or after its time (ascending) or at or before it (descending).
            if (descending)
            {
                to = Math.Min(to, cursorTicks == long.MaxValue ? cursorTicks : cursorTicks + 1);
            }
            else
            {
                from = Math.Max(from, cursorTicks);
            }
        }

        _blocks.FindRange(from, to, out var lo, out var hi);
        var candidates = new List<int>(Math.Min(hi - lo, 256));
        for (var b = lo; b < hi; b++)
        {
            if (_blocks.MaxTicks(b) >= from && _blocks.MinTicks(b) < to)
            {
                candidates.Add(b);
            }
        }

        // Blocks in the order in which their best key could come first; nearly sorted already (arrival ~ time).
        var bounds = new long[candidates.Count];
        var order = candidates.ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            bounds[i] = descending ? -_blocks.MaxTicks(order[i]) : _blocks.MinTicks(order[i]);
        }

        Array.Sort(bounds, order);
        var heap = new RunHeap(descending, 16);
        Span<RunCursor> runs = new RunCursor[EventBlock.Groups];
        var next = 0;
        while (true)
        {
            while (next < order.Length && (heap.Count == 0 || MayPrecede(order[next], heap.Top.CurrentTicks(descending), descending)))
            {
                var block = _blocks[order[next++]];
                var count = CollectRuns(block, matcher, runs);
                for (var r = 0; r < count; r++)
                {
                    ref var run = ref runs[r];
                    if (hasCursor)
                    {
                        if (descending)
                        {
                            run.Hi = Math.Min(run.Hi, block.LowerBound(run.Positions, run.Lo, run.Hi, cursorTicks, cursorSequence));
                        }
                        else
                        {
                            run.Lo = Math.Max(run.Lo, block.LowerBound(run.Positions, run.Lo, run.Hi, cursorTicks, cursorSequence + 1));
                        }
                    }

                    if (!run.IsEmpty)
                    {
                        heap.Push(run);
                    }
                }
            }

            if (heap.Count == 0)
            {
                return;
            }

            ref var top = ref heap.Top;
            var source = top.Block;
            var position = top.Current(descending);
            top.Advance(descending);
            heap.FixTop();
            scanned++;
            var sequence = source.FirstSequence + (ulong)position;
            if (sequence < _minLive)
            {
                continue;
            }

            if (matcher.HasResidual && !matcher.MatchesResidual(source.Events[position]!, source.Types[position]))
            {
                continue;
            }

            if (!page.Offer(source.Ticks[position], sequence, source.Events[position]!))
            {
                return;
            }
        }
    }

    private bool MayPrecede(int blockIndex, long topTicks, bool descending) =>
        descending ? _blocks.MaxTicks(blockIndex) >= topTicks : _blocks.MinTicks(blockIndex) <= topTicks;

    /// <summary>The index runs of a block that hold the matcher's modules and severities, narrowed to its time range.</summary>
    private static int CollectRuns(EventBlock block, EventMatcher matcher, Span<RunCursor> runs)
    {
        var count = 0;
        if (matcher.ModuleMask != EventMatcher.AllModules)
        {
            for (var module = 0; module < 7; module++)
            {
                if ((matcher.ModuleMask & (1u << module)) == 0)
                {
                    continue;
                }

                for (var severity = matcher.MinSeverity; severity < EventBlock.Severities; severity++)
                {
                    block.GroupRun((module * EventBlock.Severities) + severity, out var positions, out var start, out var end);
                    AddRun(block, matcher, positions, start, end, runs, ref count);
                }
            }
        }
        else if (matcher.MinSeverity > 0)
        {
            for (var severity = matcher.MinSeverity; severity < EventBlock.Severities; severity++)
            {
                block.SeverityRun(severity, out var positions, out var start, out var end);
                AddRun(block, matcher, positions, start, end, runs, ref count);
            }
        }
        else
        {
            AddRun(block, matcher, block.ByTime, 0, block.Count, runs, ref count);
        }

        return count;
    }

    private static void AddRun(EventBlock block, EventMatcher matcher, ushort[] positions, int start, int end, Span<RunCursor> runs, ref int count)
    {
        if (start >= end)
        {
            return;
        }

        var lo = matcher.FromTicks == long.MinValue ? start : block.LowerBound(positions, start, end, matcher.FromTicks, 0);
        var hi = matcher.ToTicks == long.MaxValue ? end : block.LowerBound(positions, lo, end, matcher.ToTicks, 0);
        if (lo < hi)
        {
            runs[count++] = new RunCursor { Block = block, Positions = positions, Lo = lo, Hi = hi };
        }
    }

    /// <summary>A query with a correlation id: follow that correlation's chain, filter, sort, page.</summary>
    private ulong QueryCorrelation(
        Guid correlationId,
        EventMatcher matcher,
        EventPageCollector? page,
        ref long scanned)
    {
        var found = new List<(long Ticks, ulong Sequence, AnalyticsEvent Event)>();
        if (_correlationHeads.TryGetValue(correlationId, out var sequence))
        {
            while (sequence >= _minLive && sequence != 0)
            {
                Locate(sequence, out var block, out var position);
                scanned++;
                var evt = block.Events[position]!;
                if (matcher.Matches(evt))
                {
                    found.Add((block.Ticks[position], sequence, evt));
                }

                sequence = block.PrevCorrelation(position);
            }
        }

        if (page is null)
        {
            return (ulong)found.Count;
        }

        found.Sort(page.Descending ? Descending : Ascending);
        foreach (var (ticks, seq, evt) in found)
        {
            if (!page.Offer(ticks, seq, evt))
            {
                break;
            }
        }

        return (ulong)found.Count;
    }
}
